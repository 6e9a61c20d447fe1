"""fraud area: flagged accounts and payers' reports of suspicious QRs."""
