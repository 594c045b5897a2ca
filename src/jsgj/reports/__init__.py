"""Pure functions from data to records and tables; no database access."""
