"""How long citizens' data is kept: ``python -m assistant purge`` deletes what is older than the retention,
and ``forget`` deletes one conversation's data when the citizen asks ("xóa dữ liệu của tôi").

Purged after ``RETENTION_DAYS``: transcripts, operator-reply outbox rows, Zalo/Messenger outbox rows and
inbound events, chat events, closed handoff requests, ended subscriptions to a dossier's status (with
their notifications), conversations with no message since, expired console sessions, the contact a
citizen left with a feedback (the feedback itself stays: it is the administration's record), and
Rasa's tracker events of conversations idle since (Rasa's SQL tracker store shares the database in
production; its ``events`` table is skipped when absent).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, inspect, text, update
from sqlalchemy.exc import SQLAlchemyError

from assistant.database import Database, DatabaseUnavailable, utcnow
from assistant.tables import (
    ChannelOutboxRow,
    ChatEventRow,
    ConversationRow,
    DossierSubscriptionRow,
    FeedbackRow,
    HandoffRow,
    InboundEventRow,
    OperatorSessionRow,
    OutboxRow,
    RatingRow,
    TranscriptRow,
)

RASA_EVENTS = "events"  # the table of Rasa's SQL tracker store
_DURATION = re.compile(r"^\s*(\d+)\s*([dh]?)\s*$")


def parse_duration(value: str) -> timedelta:
    """ "90d", "90" (days) or "36h"."""
    match = _DURATION.match(value)
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(f"not a duration: {value!r} (e.g. 90d or 36h)")
    amount = int(match.group(1))
    return timedelta(hours=amount) if match.group(2) == "h" else timedelta(days=amount)


def purge(database: Database, older_than: timedelta, now: datetime | None = None) -> dict[str, int]:
    """Delete what is older than ``older_than``; the number of rows per kind. One transaction."""
    cutoff = (now or utcnow()) - older_than
    counts: dict[str, int] = {}
    with database.session() as s:

        def run(name: str, statement: object) -> None:
            counts[name] = int(getattr(s.execute(statement), "rowcount", 0) or 0)  # type: ignore[call-overload]

        run("transcript", delete(TranscriptRow).where(TranscriptRow.created_at < cutoff))
        run("outbox", delete(OutboxRow).where(OutboxRow.created_at < cutoff))
        run("chat_events", delete(ChatEventRow).where(ChatEventRow.created_at < cutoff))
        run("channel_outbox", delete(ChannelOutboxRow).where(ChannelOutboxRow.created_at < cutoff))
        run("inbound_events", delete(InboundEventRow).where(InboundEventRow.received_at < cutoff))
        run(
            "handoffs",
            delete(HandoffRow).where(and_(HandoffRow.state == "closed", HandoffRow.updated_at < cutoff)),
        )
        run("conversations", delete(ConversationRow).where(ConversationRow.last_message_at < cutoff))
        # Their notifications go with them (ON DELETE CASCADE).
        run(
            "subscriptions",
            delete(DossierSubscriptionRow).where(
                DossierSubscriptionRow.ended_at.is_not(None), DossierSubscriptionRow.ended_at < cutoff
            ),
        )
        run("operator_sessions", delete(OperatorSessionRow).where(OperatorSessionRow.expires_at < utcnow()))
        run(
            "feedback_contacts",
            update(FeedbackRow)
            .where(FeedbackRow.created_at < cutoff, FeedbackRow.contact.is_not(None))
            .values(contact=None),
        )
        if inspect(s.connection()).has_table(RASA_EVENTS):
            run(
                "rasa_tracker_events",
                text(
                    f"DELETE FROM {RASA_EVENTS} WHERE sender_id IN (SELECT sender_id FROM {RASA_EVENTS} "
                    "GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)"
                ).bindparams(cutoff=cutoff.timestamp()),
            )
    return counts


def forget(database: Database, sender_id: str) -> dict[str, int]:
    """Delete one conversation's data now (the citizen asked): transcript, outbox, events, handoffs,
    ratings, subscriptions to dossiers, feedback contacts, Rasa's tracker. Feedback content stays,
    without its contact."""
    counts: dict[str, int] = {}
    try:
        with database.session() as s:

            def run(name: str, statement: object) -> None:
                counts[name] = int(getattr(s.execute(statement), "rowcount", 0) or 0)  # type: ignore[call-overload]

            run("transcript", delete(TranscriptRow).where(TranscriptRow.sender_id == sender_id))
            run("outbox", delete(OutboxRow).where(OutboxRow.sender_id == sender_id))
            run("chat_events", delete(ChatEventRow).where(ChatEventRow.sender_id == sender_id))
            run("channel_outbox", delete(ChannelOutboxRow).where(ChannelOutboxRow.sender_id == sender_id))
            run("inbound_events", delete(InboundEventRow).where(InboundEventRow.sender_id == sender_id))
            run("handoffs", delete(HandoffRow).where(HandoffRow.conversation_id == sender_id))
            run("ratings", delete(RatingRow).where(RatingRow.conversation_id == sender_id))
            run(
                "subscriptions",
                delete(DossierSubscriptionRow).where(DossierSubscriptionRow.sender_id == sender_id),
            )
            run(
                "feedback_contacts",
                update(FeedbackRow).where(FeedbackRow.sender_id == sender_id).values(contact=None),
            )
            run("conversations", delete(ConversationRow).where(ConversationRow.sender_id == sender_id))
            if inspect(s.connection()).has_table(RASA_EVENTS):
                run(
                    "rasa_tracker_events",
                    text(f"DELETE FROM {RASA_EVENTS} WHERE sender_id = :sender").bindparams(sender=sender_id),
                )
    except SQLAlchemyError as exc:  # pragma: no cover - Database.session wraps these already
        raise DatabaseUnavailable(str(exc)) from exc
    return counts
