"""admin area: staff decisions (confirming scam reports), behind a token set in the settings."""
