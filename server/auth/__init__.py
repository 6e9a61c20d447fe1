"""auth area."""
