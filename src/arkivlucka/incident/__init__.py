"""incident stage."""
