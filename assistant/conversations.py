"""Conversation state shared by every channel: who is answering (bot or operator), transcript, outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from assistant.gateway_tables import ChatEvent, Conversation, OutboxEntry, TranscriptEntry, utcnow


@dataclass(frozen=True)
class ConversationRow:
    sender_id: str
    channel: str
    taken_by: str | None
    needs_human: bool
    last_message_at: datetime


@dataclass(frozen=True)
class TranscriptRow:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxRow:
    id: int
    text: str
    author: str
    created_at: datetime


def _aware(value: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; everything we store is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _row(c: Conversation) -> ConversationRow:
    return ConversationRow(c.sender_id, c.channel, c.taken_by, c.needs_human, _aware(c.last_message_at))


class ConversationStore:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    def begin_turn(self, sender_id: str, channel: str, text: str) -> str | None:
        """Record the citizen's message; returns the operator who has taken the conversation over, if any."""
        with self._sessions.begin() as s:
            conversation = s.get(Conversation, sender_id)
            if conversation is None:
                conversation = Conversation(sender_id=sender_id, channel=channel)
                s.add(conversation)
            conversation.last_message_at = utcnow()
            s.add(TranscriptEntry(sender_id=sender_id, author="citizen", text=text))
            return conversation.taken_by

    def record_replies(self, sender_id: str, author: str, texts: list[str]) -> None:
        with self._sessions.begin() as s:
            s.add_all(TranscriptEntry(sender_id=sender_id, author=author, text=t) for t in texts if t)

    def record_event(self, event: ChatEvent, *, needs_human: bool) -> None:
        with self._sessions.begin() as s:
            s.add(event)
            if needs_human:
                s.execute(
                    update(Conversation)
                    .where(Conversation.sender_id == event.sender_id)
                    .values(needs_human=True)
                )

    def mark_needs_human(self, sender_id: str, channel: str) -> None:
        with self._sessions.begin() as s:
            conversation = s.get(Conversation, sender_id)
            if conversation is None:
                s.add(Conversation(sender_id=sender_id, channel=channel, needs_human=True))
            else:
                conversation.needs_human = True

    def get(self, sender_id: str) -> ConversationRow | None:
        with self._sessions() as s:
            conversation = s.get(Conversation, sender_id)
            return _row(conversation) if conversation else None

    def take_over(self, sender_id: str, operator: str) -> ConversationRow | None:
        with self._sessions.begin() as s:
            conversation = s.get(Conversation, sender_id)
            if conversation is None:
                return None
            conversation.taken_by = operator
            return _row(conversation)

    def hand_back(self, sender_id: str) -> ConversationRow | None:
        with self._sessions.begin() as s:
            conversation = s.get(Conversation, sender_id)
            if conversation is None:
                return None
            conversation.taken_by = None
            conversation.needs_human = False
            return _row(conversation)

    def waiting_or_taken(self, limit: int = 50) -> list[ConversationRow]:
        with self._sessions() as s:
            rows = s.scalars(
                select(Conversation)
                .where(or_(Conversation.needs_human.is_(True), Conversation.taken_by.is_not(None)))
                .order_by(Conversation.last_message_at.desc())
                .limit(limit)
            )
            return [_row(c) for c in rows]

    def history(self, sender_id: str, limit: int = 200) -> list[TranscriptRow]:
        with self._sessions() as s:
            rows = s.scalars(
                select(TranscriptEntry)
                .where(TranscriptEntry.sender_id == sender_id)
                .order_by(TranscriptEntry.id.desc())
                .limit(limit)
            ).all()
            return [TranscriptRow(r.author, r.text, _aware(r.created_at)) for r in reversed(rows)]

    def add_outbox(self, sender_id: str, text: str, author: str) -> int:
        with self._sessions.begin() as s:
            entry = OutboxEntry(sender_id=sender_id, text=text, author=author)
            s.add(entry)
            s.flush()
            return entry.id

    def outbox_after(self, sender_id: str, after_id: int, limit: int = 50) -> list[OutboxRow]:
        with self._sessions() as s:
            rows = s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.sender_id == sender_id, OutboxEntry.id > after_id)
                .order_by(OutboxEntry.id)
                .limit(limit)
            )
            return [OutboxRow(r.id, r.text, r.author, _aware(r.created_at)) for r in rows]

    # ------------------------------------------------------------------ analytics
    def top_procedures(self, limit: int = 10) -> list[tuple[str, str, int]]:
        with self._sessions() as s:
            count = func.count(ChatEvent.id)
            rows = s.execute(
                select(ChatEvent.procedure_code, func.max(ChatEvent.procedure_name), count)
                .where(ChatEvent.procedure_code.is_not(None))
                .group_by(ChatEvent.procedure_code)
                .order_by(count.desc())
                .limit(limit)
            )
            return [(code, name or "", n) for code, name, n in rows if code is not None]

    def unanswered(self, limit: int = 20) -> list[tuple[str, datetime]]:
        with self._sessions() as s:
            rows = s.execute(
                select(ChatEvent.text, ChatEvent.created_at)
                .where(ChatEvent.fallback.is_(True))
                .order_by(ChatEvent.id.desc())
                .limit(limit)
            )
            return [(text, _aware(at)) for text, at in rows]

    def intent_counts(self) -> dict[str, int]:
        with self._sessions() as s:
            rows = s.execute(
                select(ChatEvent.intent, func.count(ChatEvent.id))
                .where(ChatEvent.intent.is_not(None))
                .group_by(ChatEvent.intent)
            )
            return {intent: n for intent, n in rows if intent is not None}
