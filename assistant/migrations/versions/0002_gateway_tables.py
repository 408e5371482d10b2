"""The gateway's tables join the chain: operators, conversations, transcript, outbox, chat events.

Until this revision the API created them itself (``create_all`` at start), so a database it ran on
already has them, with exactly these definitions: what exists is kept with its rows, what is missing
(a table or an index) is created.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)

TABLES: dict[str, list[sa.Column[object]]] = {
    "api_operators": [
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    ],
    "api_conversations": [
        sa.Column("sender_id", sa.String(128), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("taken_by", sa.String(64), nullable=True),
        sa.Column("needs_human", sa.Boolean, nullable=False),
        sa.Column("last_message_at", TZ, nullable=False),
    ],
    "api_transcript": [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    ],
    "api_outbox": [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    ],
    "api_chat_events": [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("procedure_code", sa.String(32), nullable=True),
        sa.Column("procedure_name", sa.Text, nullable=True),
        sa.Column("fallback", sa.Boolean, nullable=False),
        sa.Column("degraded", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    ],
}
INDEXES = [
    ("api_conversations", "last_message_at"),
    ("api_transcript", "sender_id"),
    ("api_outbox", "sender_id"),
    ("api_chat_events", "sender_id"),
    ("api_chat_events", "created_at"),
]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for table, columns in TABLES.items():
        if table not in existing:
            op.create_table(table, *columns)
    for table, column in INDEXES:
        name = f"ix_{table}_{column}"
        if table not in existing or name not in {i["name"] for i in inspector.get_indexes(table)}:
            op.create_index(name, table, [column])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
