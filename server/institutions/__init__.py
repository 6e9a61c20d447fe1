"""institutions area."""
