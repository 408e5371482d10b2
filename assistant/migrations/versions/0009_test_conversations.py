"""Conversations staff mark as tests (trying the assistant, demonstrations) are left out of the reports.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_conversations") as batch:
        batch.add_column(sa.Column("is_test", sa.Boolean, nullable=False, server_default=sa.text("false")))


def downgrade() -> None:
    with op.batch_alter_table("api_conversations") as batch:
        batch.drop_column("is_test")
