"""Fixtures shared by the whole suite: databases and real servers (see evaluation/stack.py).

tests/bot runs this file under the Rasa venv (Python 3.10) too: keep the imports here light and
import the server helpers inside the fixtures.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from evaluation.stack import ServerProcess

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextlib.contextmanager
def fresh_postgres_database(prefix: str = "test") -> Iterator[str]:
    """A new empty database on the local PostgreSQL; dropped afterwards. Yields its SQLAlchemy URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'assistant.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on the running PostgreSQL, dropped after the test."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'assistant.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


_E2E_COLLECTED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_E2E_COLLECTED] = any(item.get_closest_marker("e2e") for item in items)


@dataclass
class ActionServer:
    server: ServerProcess
    database_url: str
    var_dir: Path
    # Rasa, launched as soon as the action server is up when end-to-end tests will run: its model
    # loads (a minute or more) while the other tests run.
    rasa: ServerProcess | None = None

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def action_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ActionServer]:
    """One action server for the session: seeded SQLite database and its own Qdrant folder in a tmp dir."""
    from assistant.database import Database
    from assistant.seed import seed
    from assistant.settings import Settings
    from evaluation.stack import RASA_MODEL, UNLIMITED_LOOKUPS, launch_rasa_server, start_action_server
    from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue

    var_dir = tmp_path_factory.mktemp("action-server")
    database_url = f"sqlite:///{var_dir / 'assistant.db'}"
    database = Database(database_url)
    seed(database, Settings(database_url=database_url), list(load_catalogue(DEMO_CATALOGUE).procedures))
    database.dispose()
    # The suite looks the same demo codes up from one address many times: only the per-sender budget is
    # kept here; tests/actions/test_lookup_budgets.py checks the others on a server of its own.
    env = {
        "DATABASE_URL": database_url,
        "QDRANT_PATH": str(var_dir / "qdrant"),
        "DOSSIER_BACKEND": "sql",
        **UNLIMITED_LOOKUPS,
    }
    server = start_action_server(env, var_dir)
    launched = ActionServer(server, database_url, var_dir)
    if request.config.stash.get(_E2E_COLLECTED, False) and RASA_MODEL.exists():
        launched.rasa = launch_rasa_server(server.url, tmp_path_factory.mktemp("rasa"))
    try:
        yield launched
    finally:
        if launched.rasa is not None:
            launched.rasa.stop()
        server.stop()


@pytest.fixture(scope="session")
def rasa_server(
    action_server: ActionServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """One real Rasa server for the session (REST channel), talking to the session's action server."""
    from evaluation.stack import RASA_MODEL, launch_rasa_server

    if not RASA_MODEL.exists():
        pytest.fail(f"no Rasa model at {RASA_MODEL}: run `make rasa-model` first")
    server = action_server.rasa or launch_rasa_server(action_server.url, tmp_path_factory.mktemp("rasa"))
    try:
        server.wait_ready("/status", timeout=300)
        yield server
    finally:
        server.stop()
