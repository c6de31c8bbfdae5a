"""The person's journey on the service: changes to care, hospital stays, restarts, hand-backs and endings (issue 4)."""
