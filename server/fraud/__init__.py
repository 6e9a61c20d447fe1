"""fraud area: scam reports, their review, and the register of confirmed scam accounts and phone numbers."""
