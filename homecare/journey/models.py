"""Models of the journey app."""
