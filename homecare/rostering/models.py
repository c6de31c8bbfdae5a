"""Models of the rostering app."""
