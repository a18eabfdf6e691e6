"""Public pages of the register. Every view selects records with ``public()`` only."""
