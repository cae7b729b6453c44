"""Analysts submit an article from the dashboard (`/submit/`) and follow what became of it."""
