"""Dossier (hồ sơ) status: statuses of the national portal, the store interface and its two backends."""
