"""Dossiers with status history, feedback with per-day tracking numbers, ratings, handoff requests.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("procedure_name", sa.Text, nullable=False),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("due_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("applicant_masked", sa.String(128), nullable=False),
        sa.Column("phone_last4_salt", sa.String(64), nullable=False),
        sa.Column("phone_last4_hash", sa.String(128), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint("status BETWEEN 1 AND 10", name="ck_dossiers_status"),
    )
    op.create_index("ix_dossiers_code", "dossiers", ["code"], unique=True)

    op.create_table(
        "dossier_status_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.Integer, sa.ForeignKey("dossiers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("changed_at", TZ, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_dossier_status_history_dossier_id", "dossier_status_history", ["dossier_id"])

    op.create_table(
        "feedback_counters",
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tracking_number", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=True),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_feedback_tracking_number", "feedback", ["tracking_number"], unique=True)

    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_ratings_score"),
    )
    op.create_index("ix_ratings_conversation_id", "ratings", ["conversation_id"])

    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("last_message", sa.Text, nullable=False, server_default=""),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("operator", sa.String(128), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_handoff_requests_conversation_id", "handoff_requests", ["conversation_id"])
    op.create_index("ix_handoff_requests_state", "handoff_requests", ["state"])


def downgrade() -> None:
    for table in ("handoff_requests", "ratings", "feedback", "feedback_counters", "dossier_status_history"):
        op.drop_table(table)
    op.drop_table("dossiers")
