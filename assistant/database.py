"""Database engine, sessions and schema migrations (SQLAlchemy 2 + Alembic).

The schema is only ever created by the Alembic migrations in ``assistant/migrations`` (never by
``create_all``), so SQLite in development and PostgreSQL in production have the same history.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ALEMBIC_INI = MIGRATIONS_DIR / "alembic.ini"

# Vietnam has had no daylight saving time since 1975: a fixed offset needs no tz database.
VN_TZ = timezone(timedelta(hours=7), "ICT")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or refused the operation; callers answer politely."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite gives naive datetimes back; everything we store is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_utc(value: datetime) -> datetime:
    """Before storing: SQLite keeps the wall-clock digits and drops the offset, so store UTC only."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return value.astimezone(UTC)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # pool_pre_ping: a restarted PostgreSQL must not turn into errors for the next citizens.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=_pg_args(url))


def _pg_args(url: str) -> dict[str, object]:
    return {"connect_timeout": 5} if url.startswith("postgresql") else {}


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL lets the API read while the action server writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_MIGRATION_LOCK_KEY = 0x5DC0A55  # any constant shared by every process migrating this database
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent; once per process and database)."""
    from alembic import command
    from alembic.config import Config

    key = engine.url.render_as_string(hide_password=False)
    with _migrate_lock:
        if key in _migrated:
            return
        config = Config(str(ALEMBIC_INI))
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # The API and the action server may start together: one migrates, the other waits.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        _migrated.add(key)


class Database:
    """An engine plus a session factory; the schema is migrated on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False

    def ensure_schema(self) -> None:
        if self._ready:
            return
        try:
            migrate(self.engine)
        except SQLAlchemyError as exc:
            raise DatabaseUnavailable(f"database error while migrating: {type(exc).__name__}") from exc
        self._ready = True

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any error.

        Any database failure (server down, lock timeout, broken schema) surfaces as
        ``DatabaseUnavailable`` so that callers have one thing to catch and answer politely.
        """
        self.ensure_schema()
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise DatabaseUnavailable(f"database error: {type(exc).__name__}") from exc

    def dispose(self) -> None:
        self.engine.dispose()
