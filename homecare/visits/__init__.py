"""Visits as they happen: electronic call monitoring, the care worker's phone app, visit records, the live board (issue 6)."""
