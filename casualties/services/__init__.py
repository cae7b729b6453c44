"""Writes: every change to the gazetteer, incidents and claims goes through here."""
