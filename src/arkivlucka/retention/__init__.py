"""retention stage."""
