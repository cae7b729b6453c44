"""Reads: lists, searches and aggregates for the API, the dashboard and the engine."""
