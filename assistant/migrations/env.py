"""Alembic environment: uses the connection handed over by ``assistant.database.migrate`` or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from assistant.database import make_engine
from assistant.settings import Settings
from assistant.tables import Base


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    engine = make_engine(Settings().database_url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
