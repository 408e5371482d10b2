"""Procedure catalogue and hybrid (dense + sparse) search over it."""
