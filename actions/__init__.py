"""Rasa SDK action server: procedure answers, dossier status, feedback, ratings and handoffs.

rasa-sdk imports every module of this package when it starts, so no module may do heavy work
(databases, models, network) at import time; everything is created on first use.
"""
