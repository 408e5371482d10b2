"""A secret per web conversation: the widget's poll for operator replies must present it.

``api_conversations.secret_hash`` is the SHA-256 of the secret ``POST /api/v1/chat`` returns once, on the
conversation's first message (or the first after this revision, for older conversations). The sender
id alone, which travels in URLs and access logs, no longer reads a conversation's operator replies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_conversations") as batch:
        batch.add_column(sa.Column("secret_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_conversations") as batch:
        batch.drop_column("secret_hash")
