"""One truth for who answers a conversation: handoff_requests; the gateway's copy of it goes.

Until this revision the gateway kept its own ``taken_by``/``needs_human`` on ``api_conversations``
beside the action server's ``handoff_requests``, synced by scanning the oldest 100 requests: past the
100th, take-over and hand-back only reached the gateway's copy. Where a conversation has a gateway row,
that row was always written and so is believed:
- taken by an operator: its active request becomes claimed by them (one is made if there was none);
- waiting (needs_human): its active request becomes open (one is made, "the assistant did not
  understand", if there was none);
- neither: its active requests were handed back, so they are closed.
Requests of conversations the gateway never saw keep their state. Then every conversation keeps at
most one active request (the newest), which a partial unique index now enforces, and the two
columns are dropped. ``origin`` tells the citizen's requests from the assistant's and the operators'.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
ACTIVE_INDEX = "uq_handoff_requests_active_conversation"
ACTIVE = sa.text("state != 'closed'")

handoffs = sa.table(
    "handoff_requests",
    sa.column("id", sa.Integer),
    sa.column("conversation_id", sa.String),
    sa.column("channel", sa.String),
    sa.column("sender_id", sa.String),
    sa.column("reason", sa.Text),
    sa.column("last_message", sa.Text),
    sa.column("state", sa.String),
    sa.column("origin", sa.String),
    sa.column("operator", sa.String),
    sa.column("created_at", TZ),
    sa.column("updated_at", TZ),
)
conversations = sa.table(
    "api_conversations",
    sa.column("sender_id", sa.String),
    sa.column("channel", sa.String),
    sa.column("taken_by", sa.String),
    sa.column("needs_human", sa.Boolean),
)


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    op.add_column(
        "handoff_requests", sa.Column("origin", sa.String(16), nullable=False, server_default="citizen")
    )
    active = handoffs.c.state != "closed"
    close = {"state": "closed", "updated_at": now}

    # Conversations the gateway saw handed back (or never flagged): their requests are over.
    idle = sa.select(conversations.c.sender_id).where(
        conversations.c.taken_by.is_(None), conversations.c.needs_human.is_(False)
    )
    bind.execute(handoffs.update().where(active, handoffs.c.conversation_id.in_(idle)).values(close))

    flagged = bind.execute(
        sa.select(conversations).where(
            sa.or_(conversations.c.taken_by.is_not(None), conversations.c.needs_human.is_(True))
        )
    ).all()
    for sender_id, channel, taken_by, _ in flagged:
        newest = bind.execute(
            sa.select(sa.func.max(handoffs.c.id)).where(active, handoffs.c.conversation_id == sender_id)
        ).scalar()
        state = "claimed" if taken_by else "open"
        if newest is not None:
            values = {"state": state, "updated_at": now, **({"operator": taken_by} if taken_by else {})}
            bind.execute(handoffs.update().where(handoffs.c.id == newest).values(values))
            continue
        bind.execute(
            handoffs.insert().values(
                conversation_id=sender_id,
                channel=channel,
                sender_id=sender_id,
                reason="cán bộ nhận hội thoại" if taken_by else "trợ lý chưa hiểu câu hỏi",
                last_message="",
                state=state,
                origin="operator" if taken_by else "assistant",
                operator=taken_by,
                created_at=now,
                updated_at=now,
            )
        )

    # One active request per conversation: the newest one.
    newest_ids = (
        sa.select(sa.func.max(handoffs.c.id))
        .where(active)
        .group_by(handoffs.c.conversation_id)
        .scalar_subquery()
    )
    bind.execute(handoffs.update().where(active, handoffs.c.id.not_in(newest_ids)).values(close))
    op.create_index(
        ACTIVE_INDEX,
        "handoff_requests",
        ["conversation_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    with op.batch_alter_table("api_conversations") as batch:
        batch.drop_column("taken_by")
        batch.drop_column("needs_human")


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("api_conversations") as batch:
        batch.add_column(sa.Column("taken_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("needs_human", sa.Boolean, nullable=False, server_default=sa.false()))
    for conversation_id, state, operator in bind.execute(
        sa.select(handoffs.c.conversation_id, handoffs.c.state, handoffs.c.operator).where(
            handoffs.c.state != "closed"
        )
    ).all():
        bind.execute(
            conversations.update()
            .where(conversations.c.sender_id == conversation_id)
            .values(taken_by=operator if state == "claimed" else None, needs_human=state == "open")
        )
    op.drop_index(ACTIVE_INDEX, table_name="handoff_requests")
    with op.batch_alter_table("handoff_requests") as batch:
        batch.drop_column("origin")
