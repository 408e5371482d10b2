"""Feedback handled to the end, requests for a person after hours, renewable channel tokens.

- ``feedback`` gains its handling: status (received for every existing row, since its creation),
  agency, answer, who answered and when, and how the answer reached the citizen; ``feedback_events``
  keeps each step.
- ``handoff_requests.after_hours``: asked outside working hours (false for existing rows).
- ``api_channel_tokens``: the Zalo OA access token and the refresh token that renews it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="received"))
        batch.add_column(sa.Column("status_changed_at", TZ, nullable=True))
        batch.add_column(sa.Column("agency", sa.Text, nullable=True))
        batch.add_column(sa.Column("answer", sa.Text, nullable=True))
        batch.add_column(sa.Column("answered_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("answered_at", TZ, nullable=True))
        batch.add_column(sa.Column("answer_delivery", sa.String(32), nullable=True))
    op.execute("UPDATE feedback SET status_changed_at = created_at")
    with op.batch_alter_table("feedback") as batch:
        batch.alter_column("status_changed_at", existing_type=TZ, nullable=False)
    op.create_index("ix_feedback_status", "feedback", ["status"])

    op.create_table(
        "feedback_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "feedback_id", sa.Integer, sa.ForeignKey("feedback.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("agency", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_feedback_events_feedback_id", "feedback_events", ["feedback_id"])

    with op.batch_alter_table("handoff_requests") as batch:
        batch.add_column(
            sa.Column("after_hours", sa.Boolean, nullable=False, server_default=sa.text("false"))
        )

    op.create_table(
        "api_channel_tokens",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("access_token", sa.Text, nullable=False),
        sa.Column("refresh_token", sa.Text, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("api_channel_tokens")
    with op.batch_alter_table("handoff_requests") as batch:
        batch.drop_column("after_hours")
    op.drop_table("feedback_events")
    op.drop_index("ix_feedback_status", table_name="feedback")
    with op.batch_alter_table("feedback") as batch:
        for column in (
            "answer_delivery",
            "answered_at",
            "answered_by",
            "answer",
            "agency",
            "status_changed_at",
            "status",
        ):
            batch.drop_column(column)
