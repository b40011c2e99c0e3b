"""form stage."""
