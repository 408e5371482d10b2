"""Conversations as the gateway sees them, whatever the channel: transcript, outbox, chat events.

Who answers a conversation (the assistant or an operator) is ``assistant.handoffs``. Raises
``assistant.database.DatabaseUnavailable`` when the database is down.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from assistant.database import VN_TZ, Database, DatabaseUnavailable, as_utc, utcnow
from assistant.tables import ChatEventRow, ConversationRow, OutboxRow, TranscriptRow


@dataclass(frozen=True)
class Conversation:
    sender_id: str
    channel: str
    last_message_at: datetime
    last_text: str = ""  # the latest line of the transcript, whoever wrote it
    last_message_ref: str | None = None  # the platform's id of the citizen's latest message


@dataclass(frozen=True)
class TranscriptLine:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class ChatEvent:
    """What the assistant understood of one citizen message (text already redacted)."""

    sender_id: str
    channel: str
    text: str
    intent: str | None = None
    confidence: float | None = None
    procedure_code: str | None = None
    procedure_name: str | None = None
    fallback: bool = False
    degraded: bool = False


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Conversations of the evaluation tools (``evaluation/chat_eval.py``, ``evaluation/chat_bench.py``): not
# citizens, so left out of the figures a province reports — as are those staff mark as tests.
TEST_SENDER_PREFIXES = ("eval-", "bench-")


_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


def citizens_only(query: _Query, sender: InstrumentedAttribute[str] = ChatEventRow.sender_id) -> _Query:
    """A report's query without the evaluation tools' conversations and those marked as tests;
    ``sender`` is the query's column of the conversation id."""
    for prefix in TEST_SENDER_PREFIXES:
        query = query.where(~sender.startswith(prefix))
    marked = select(ConversationRow.sender_id).where(ConversationRow.is_test.is_(True))
    return query.where(sender.not_in(marked))


def _conversation(c: ConversationRow) -> Conversation:
    return Conversation(
        c.sender_id, c.channel, as_utc(c.last_message_at), last_message_ref=c.last_message_ref
    )


class ConversationStore:
    def __init__(self, database: Database):
        self._db = database

    def begin_turn(self, sender_id: str, channel: str, text: str) -> None:
        """Record the citizen's message."""
        with self._db.session() as s:
            conversation = s.get(ConversationRow, sender_id)
            if conversation is None:
                conversation = ConversationRow(sender_id=sender_id, channel=channel)
                s.add(conversation)
            conversation.last_message_at = utcnow()
            s.add(TranscriptRow(sender_id=sender_id, author="citizen", text=text))

    def note_inbound(self, sender_id: str, channel: str, message_ref: str) -> None:
        """A platform message arrived (whatever it holds): the window it opens, and its id to reply to."""
        with self._db.session() as s:
            conversation = s.get(ConversationRow, sender_id)
            if conversation is None:
                conversation = ConversationRow(sender_id=sender_id, channel=channel)
                s.add(conversation)
            conversation.last_message_at = utcnow()
            conversation.last_message_ref = message_ref[:128]

    def issue_secret(self, sender_id: str, channel: str) -> str | None:
        """The conversation's secret, made now if it has none yet (its first message); None when one was
        issued before: it is handed out once, to whoever started the conversation."""
        secret = secrets.token_urlsafe(32)
        try:
            with self._db.session() as s:
                conversation = s.get(ConversationRow, sender_id)
                if conversation is None:
                    conversation = ConversationRow(sender_id=sender_id, channel=channel)
                    s.add(conversation)
                elif conversation.secret_hash is not None:
                    return None
                conversation.secret_hash = _secret_hash(secret)
                s.flush()
        except DatabaseUnavailable as exc:
            if isinstance(exc.__cause__, IntegrityError):
                return None  # two first messages at once: the other one got the secret
            raise
        return secret

    def secret_matches(self, sender_id: str, secret: str | None) -> bool:
        if not secret or not secret.isascii():
            return False
        with self._db.session() as s:
            stored = s.scalar(
                select(ConversationRow.secret_hash).where(ConversationRow.sender_id == sender_id)
            )
        return stored is not None and hmac.compare_digest(stored, _secret_hash(secret))

    def record_replies(self, sender_id: str, author: str, texts: list[str]) -> None:
        with self._db.session() as s:
            s.add_all(TranscriptRow(sender_id=sender_id, author=author, text=t) for t in texts if t)

    def record_event(self, event: ChatEvent) -> None:
        with self._db.session() as s:
            s.add(ChatEventRow(**dataclasses.asdict(event)))

    def get(self, sender_id: str) -> Conversation | None:
        with self._db.session() as s:
            conversation = s.get(ConversationRow, sender_id)
            return _conversation(conversation) if conversation else None

    def summaries(self, sender_ids: list[str]) -> dict[str, Conversation]:
        """The known conversations among these, each with the latest line of its transcript (2 queries)."""
        with self._db.session() as s:
            rows = s.scalars(select(ConversationRow).where(ConversationRow.sender_id.in_(sender_ids)))
            known = {c.sender_id: _conversation(c) for c in rows}
            latest = (
                select(func.max(TranscriptRow.id))
                .where(TranscriptRow.sender_id.in_(list(known)))
                .group_by(TranscriptRow.sender_id)
            )
            for sender_id, text in s.execute(
                select(TranscriptRow.sender_id, TranscriptRow.text).where(TranscriptRow.id.in_(latest))
            ):
                known[sender_id] = dataclasses.replace(known[sender_id], last_text=text)
            return known

    def history(self, sender_id: str, limit: int = 200) -> list[TranscriptLine]:
        with self._db.session() as s:
            rows = s.scalars(
                select(TranscriptRow)
                .where(TranscriptRow.sender_id == sender_id)
                .order_by(TranscriptRow.id.desc())
                .limit(limit)
            ).all()
            return [TranscriptLine(r.author, r.text, as_utc(r.created_at)) for r in reversed(rows)]

    def add_outbox(self, sender_id: str, text: str, author: str) -> int:
        with self._db.session() as s:
            entry = OutboxRow(sender_id=sender_id, text=text, author=author)
            s.add(entry)
            s.flush()
            return entry.id

    def outbox_after(self, sender_id: str, after_id: int, limit: int = 50) -> list[OutboxMessage]:
        with self._db.session() as s:
            rows = s.scalars(
                select(OutboxRow)
                .where(OutboxRow.sender_id == sender_id, OutboxRow.id > after_id)
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [OutboxMessage(r.id, r.text, r.author, as_utc(r.created_at)) for r in rows]

    def mark_test(self, sender_id: str, is_test: bool = True) -> bool:
        """Staff trying the assistant, a demonstration…: left out of the figures (False: unknown)."""
        with self._db.session() as s:
            conversation = s.get(ConversationRow, sender_id)
            if conversation is None:
                return False
            conversation.is_test = is_test
            return True

    # ------------------------------------------------------------------ analytics
    def top_procedures(self, limit: int = 10) -> list[tuple[str, str, int]]:
        with self._db.session() as s:
            count = func.count(ChatEventRow.id)
            rows = s.execute(
                citizens_only(
                    select(ChatEventRow.procedure_code, func.max(ChatEventRow.procedure_name), count).where(
                        ChatEventRow.procedure_code.is_not(None)
                    )
                )
                .group_by(ChatEventRow.procedure_code)
                .order_by(count.desc())
                .limit(limit)
            )
            return [(code, name or "", n) for code, name, n in rows if code is not None]

    def unanswered(self, limit: int = 20) -> list[tuple[str, datetime]]:
        with self._db.session() as s:
            rows = s.execute(
                citizens_only(
                    select(ChatEventRow.text, ChatEventRow.created_at).where(ChatEventRow.fallback.is_(True))
                )
                .order_by(ChatEventRow.id.desc())
                .limit(limit)
            )
            return [(text, as_utc(at)) for text, at in rows]

    def questions_by_day(self, days: int = 14) -> list[tuple[str, dict[str, int]]]:
        """(Vietnamese calendar day, questions per channel) over the last ``days`` days, oldest first;
        test conversations left out."""
        since = utcnow() - timedelta(days=days)
        per_day: dict[str, dict[str, int]] = {}
        with self._db.session() as s:
            query = citizens_only(
                select(ChatEventRow.created_at, ChatEventRow.channel).where(ChatEventRow.created_at >= since)
            )
            for created_at, channel in s.execute(query):
                day = as_utc(created_at).astimezone(VN_TZ).strftime("%Y-%m-%d")
                counts = per_day.setdefault(day, {})
                counts[channel] = counts.get(channel, 0) + 1
        return sorted(per_day.items())

    def intent_counts(self) -> dict[str, int]:
        with self._db.session() as s:
            rows = s.execute(
                citizens_only(
                    select(ChatEventRow.intent, func.count(ChatEventRow.id)).where(
                        ChatEventRow.intent.is_not(None)
                    )
                ).group_by(ChatEventRow.intent)
            )
            return {intent: n for intent, n in rows if intent is not None}
