"""Rasa project of the assistant: custom components, evaluation and benchmark (runs in .venv-rasa)."""
