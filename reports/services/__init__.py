"""Writes of the evidence side: fetching, parsing, storing and extracting articles."""
