"""xmldoc stage."""
