"""Zalo sends reference the citizen's latest message (``recipient.message_id``), so they count as
replies: the conversation keeps that message's platform id.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_conversations") as batch:
        batch.add_column(sa.Column("last_message_ref", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_conversations") as batch:
        batch.drop_column("last_message_ref")
