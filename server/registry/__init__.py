"""registry area: the public list of institutions, their accounts, flagged accounts and scam phone numbers."""
