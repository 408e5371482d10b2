"""Citizens' satisfaction with the handling of their dossier: one rating per dossier, no identity.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dossier_handling_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("procedure_code", sa.String(32), nullable=False),
        sa.Column("overall", sa.String(16), nullable=False),
        sa.Column("staff_attitude", sa.Boolean, nullable=True),
        sa.Column("on_time", sa.Boolean, nullable=True),
        sa.Column("guidance", sa.Boolean, nullable=True),
        sa.Column("fees", sa.Boolean, nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint(
            "overall IN ('rat_hai_long', 'hai_long', 'khong_hai_long')",
            name="ck_dossier_handling_ratings_overall",
        ),
    )
    op.create_index(
        "ix_dossier_handling_ratings_dossier_code", "dossier_handling_ratings", ["dossier_code"], unique=True
    )


def downgrade() -> None:
    op.drop_table("dossier_handling_ratings")
