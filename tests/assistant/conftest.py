"""Fixtures of the action-server tests: the demo catalogue's procedures and a migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.database import Database
from search_index.catalogue import Procedure


@pytest.fixture(scope="session")
def demo_procedures() -> list[Procedure]:
    from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue

    return list(load_catalogue(DEMO_CATALOGUE).procedures)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A database built by the migrations, on SQLite and on PostgreSQL (see ``database_url``)."""
    db = Database(database_url)
    db.ensure_schema()
    yield db
    db.dispose()
