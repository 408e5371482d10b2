"""The assistant's domain and persistence, shared by its two doors (``actions/`` for Rasa, ``api/`` for HTTP).

Configuration, the service container, the database with its one Alembic chain, procedures (lookup,
answer texts, addresses), dossiers, feedback and ratings, handoffs, conversations, operator accounts,
rate limits, log redaction and seeding. It imports neither ``rasa_sdk`` nor ``fastapi``: a test
checks the import graph.
"""
