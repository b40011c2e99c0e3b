"""entries stage."""
