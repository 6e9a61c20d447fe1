"""Read-aloud for guided mode: the payee and the amount spoken in Vietnamese before the final confirmation."""
