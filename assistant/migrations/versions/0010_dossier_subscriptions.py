"""Status notifications: conversations subscribed to a dossier, and the changes to tell them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dossier_subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("ended_at", TZ, nullable=True),
        sa.Column("next_check_at", TZ, nullable=False),
        sa.Column("check_interval_seconds", sa.Float, nullable=False),
    )
    op.create_index("ix_dossier_subscriptions_dossier_code", "dossier_subscriptions", ["dossier_code"])
    op.create_index("ix_dossier_subscriptions_sender_id", "dossier_subscriptions", ["sender_id"])
    op.create_index("ix_dossier_subscriptions_next_check_at", "dossier_subscriptions", ["next_check_at"])
    op.create_index(
        "uq_dossier_subscriptions_active",
        "dossier_subscriptions",
        ["dossier_code", "sender_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "dossier_notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "subscription_id",
            sa.Integer,
            sa.ForeignKey("dossier_subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("changed_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("delivery", sa.String(32), nullable=True),
        sa.Column("done_at", TZ, nullable=True),
    )
    op.create_index("ix_dossier_notifications_subscription_id", "dossier_notifications", ["subscription_id"])
    op.create_index("ix_dossier_notifications_sender_id", "dossier_notifications", ["sender_id"])
    op.create_index("ix_dossier_notifications_state", "dossier_notifications", ["state"])


def downgrade() -> None:
    op.drop_table("dossier_notifications")
    op.drop_table("dossier_subscriptions")
