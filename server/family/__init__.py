"""family area: invitations by phone number, members and their roles (payer | viewer), removal."""
