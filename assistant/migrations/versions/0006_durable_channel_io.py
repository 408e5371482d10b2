"""Durable channel traffic: Zalo/Messenger replies go through an outbox, inbound events are stored first.

``api_channel_outbox``: each reply to Zalo or Messenger is written before it is sent and marked sent after;
one that still fails after the client's retries stays, and the gateway's retry worker sends it again with
a growing delay — a restart loses nothing. ``api_inbound_events``: each platform event is stored (keyed by
the platform's message id: a retry of it is a duplicate) before the webhook answers 200, and marked done
once answered; events left undone (the process died) are answered by the worker.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_channel_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sent_at", TZ, nullable=True),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_api_channel_outbox_sender_id", "api_channel_outbox", ["sender_id"])
    op.create_index("ix_api_channel_outbox_next_attempt_at", "api_channel_outbox", ["next_attempt_at"])
    op.create_table(
        "api_inbound_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("done_at", TZ, nullable=True),
    )
    op.create_index("ix_api_inbound_events_key", "api_inbound_events", ["key"], unique=True)
    op.create_index("ix_api_inbound_events_received_at", "api_inbound_events", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_api_inbound_events_received_at", table_name="api_inbound_events")
    op.drop_index("ix_api_inbound_events_key", table_name="api_inbound_events")
    op.drop_table("api_inbound_events")
    op.drop_index("ix_api_channel_outbox_next_attempt_at", table_name="api_channel_outbox")
    op.drop_index("ix_api_channel_outbox_sender_id", table_name="api_channel_outbox")
    op.drop_table("api_channel_outbox")
