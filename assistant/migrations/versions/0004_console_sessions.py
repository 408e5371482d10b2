"""Console sessions kept server-side, and failed logins counted per account.

``api_operator_sessions``: one row per signed-in console session; the signed cookie names its row, and a
session is valid only while the row is there, unexpired, and its operator still exists (the role is read
from the account at each request). Logging out, removing the account or resetting the password deletes
the rows. ``api_operators.failed_logins`` / ``locked_until``: after a few wrong passwords in a row the
account is locked for a while, whatever address the attempts come from.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_operator_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index("ix_api_operator_sessions_operator", "api_operator_sessions", ["operator"])
    with op.batch_alter_table("api_operators") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", TZ, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_operators") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
    op.drop_index("ix_api_operator_sessions_operator", table_name="api_operator_sessions")
    op.drop_table("api_operator_sessions")
