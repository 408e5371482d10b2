"""Procedures of the catalogue as the assistant talks about them: which one is meant, and the texts."""
