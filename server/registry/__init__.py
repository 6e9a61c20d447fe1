"""registry area: the public list of institutions, their accounts and flagged accounts."""
