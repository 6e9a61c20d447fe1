"""guidance area: the anti-scam guidance the app bundles (newest copy published here) and readers' votes."""
