"""The document and departments as validated data."""
