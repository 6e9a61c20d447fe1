"""bills area."""
