"""Who answers a conversation: the one source of truth for "waiting", "taken by" and "closed".

A conversation needs a person while it has an active request (open: waiting for an operator; claimed:
an operator answers). The citizen asks for one (the Rasa action), the assistant flags a message it
did not understand (the gateway), or an operator takes a conversation over from the console; handing
it back closes the request. A partial unique index keeps at most one active request per
conversation, and every question is asked by conversation id, through that index.

Outside working hours (``assistant.office_hours``) a citizen's request is kept ``after_hours``: the
citizen is told when staff are back, and the console lists those questions first, oldest first.
Inside working hours the citizen is told their place in the queue of open requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.conversations import citizens_only
from assistant.database import VN_TZ, Database, as_utc, utcnow
from assistant.office_hours import opening_text
from assistant.tables import HandoffRow


class HandoffState(StrEnum):
    OPEN = "open"  # waiting for an operator
    CLAIMED = "claimed"  # an operator took it
    CLOSED = "closed"


class HandoffOrigin(StrEnum):
    CITIZEN = "citizen"  # asked for a person
    ASSISTANT = "assistant"  # the assistant did not understand a message
    OPERATOR = "operator"  # an operator took the conversation over unasked


class HandoffConflict(Exception):
    """Another operator holds the conversation."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"held by {holder}")
        self.holder = holder


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    channel: str
    sender_id: str
    reason: str
    last_message: str
    state: HandoffState
    origin: HandoffOrigin
    operator: str | None
    created_at: datetime
    updated_at: datetime
    after_hours: bool = False


@dataclass(frozen=True)
class DailyWait:
    day: str  # YYYY-MM-DD, Vietnamese calendar
    taken: int
    average_minutes: float
    longest_minutes: float


class HandoffStore:
    """Raises ``assistant.database.DatabaseUnavailable`` when the database is down."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def request(
        self,
        *,
        conversation_id: str,
        channel: str,
        sender_id: str,
        reason: str,
        last_message: str = "",
        after_hours: bool = False,
    ) -> Handoff:
        """The citizen asks for a person; a conversation that already has a request keeps that one.

        ``after_hours``: asked while nobody is at work; the request keeps the question for the morning.
        """
        with self._db.session() as session:
            row, _ = _active_or_new(session, conversation_id, channel, sender_id, HandoffOrigin.CITIZEN)
            row.reason = reason
            row.last_message = last_message
            row.updated_at = utcnow()
            if row.state == HandoffState.OPEN:
                row.after_hours = after_hours
            session.flush()
            return _handoff(row)

    def queue_position(self, conversation_id: str) -> int | None:
        """1 for the longest-waiting open request; None when the conversation is not waiting."""
        with self._db.session() as session:
            row = _active(session, conversation_id)
            if row is None or row.state != HandoffState.OPEN:
                return None
            ahead = session.scalar(
                select(func.count(HandoffRow.id)).where(
                    HandoffRow.state == HandoffState.OPEN, HandoffRow.id < row.id
                )
            )
            return int(ahead or 0) + 1

    def flag(self, *, conversation_id: str, channel: str, reason: str) -> Handoff:
        """The assistant could not help: waiting for a person, unless the conversation already is."""
        with self._db.session() as session:
            origin = HandoffOrigin.ASSISTANT
            row, created = _active_or_new(session, conversation_id, channel, conversation_id, origin)
            if created:
                row.reason = reason
                session.flush()
            return _handoff(row)

    def take_over(self, conversation_id: str, operator: str, *, channel: str) -> Handoff:
        """An operator answers the conversation from now on, whether or not anyone asked.

        Raises ``HandoffConflict`` when another operator holds it: the claim is one conditional UPDATE,
        so of two operators clicking at once exactly one gets the conversation.
        """
        with self._db.session() as session:
            origin = HandoffOrigin.OPERATOR
            row, created = _active_or_new(session, conversation_id, channel, conversation_id, origin)
            if created:
                row.reason = "cán bộ nhận hội thoại"
                session.flush()
            claimed = session.execute(
                update(HandoffRow)
                .where(
                    HandoffRow.id == row.id,
                    or_(
                        HandoffRow.state == HandoffState.OPEN,
                        (HandoffRow.state == HandoffState.CLAIMED) & (HandoffRow.operator == operator),
                    ),
                )
                .values(state=HandoffState.CLAIMED, operator=operator, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            session.refresh(row)
            if claimed.rowcount == 0:  # type: ignore[attr-defined]
                raise HandoffConflict(row.operator or "")
            if row.claimed_at is None:  # the first take ends the wait; taking it again does not
                row.claimed_at = row.updated_at
            return _handoff(row)

    def hand_back(
        self, conversation_id: str, operator: str | None = None, *, admin: bool = False
    ) -> Handoff | None:
        """The assistant answers again: the active request is closed (None when there was none).

        With ``operator`` given, only that operator (the holder) or an administrator may close a claimed
        conversation; anyone else gets ``HandoffConflict``.
        """
        with self._db.session() as session:
            row = _active(session, conversation_id)
            if row is None:
                return None
            held_by_other = row.state == HandoffState.CLAIMED and row.operator != operator
            if operator is not None and held_by_other and not admin:
                raise HandoffConflict(row.operator or "")
            row.state = HandoffState.CLOSED
            row.updated_at = utcnow()
            session.flush()
            return _handoff(row)

    def active(self, conversation_id: str) -> Handoff | None:
        with self._db.session() as session:
            row = _active(session, conversation_id)
            return None if row is None else _handoff(row)

    def operator_of(self, conversation_id: str) -> str | None:
        """The operator answering this conversation now, if any."""
        with self._db.session() as session:
            return session.scalar(
                select(HandoffRow.operator).where(
                    HandoffRow.conversation_id == conversation_id, HandoffRow.state == HandoffState.CLAIMED
                )
            )

    def waiting_or_taken(self, limit: int = 100) -> list[Handoff]:
        """Active requests: questions left outside working hours first (oldest first), then the
        others, the most recently updated first."""
        with self._db.session() as session:
            night = session.scalars(
                select(HandoffRow)
                .where(HandoffRow.state == HandoffState.OPEN, HandoffRow.after_hours.is_(True))
                .order_by(HandoffRow.created_at, HandoffRow.id)
                .limit(limit)
            ).all()
            rest = session.scalars(
                select(HandoffRow)
                .where(HandoffRow.state != HandoffState.CLOSED)
                .where(~((HandoffRow.state == HandoffState.OPEN) & HandoffRow.after_hours.is_(True)))
                .order_by(HandoffRow.updated_at.desc(), HandoffRow.id.desc())
                .limit(max(0, limit - len(night)))
            ).all()
            return [_handoff(r) for r in [*night, *rest]]

    def waits_by_day(self, days: int = 14) -> list[DailyWait]:
        """How long requests waited for an operator, by the Vietnamese day they were made (the last
        ``days`` days, oldest first): those taken, the average and the longest wait. Operators' own
        take-overs (nobody waited) and test conversations are left out."""
        since = utcnow() - timedelta(days=days)
        waits: dict[str, list[float]] = {}
        with self._db.session() as session:
            query = citizens_only(
                select(HandoffRow.created_at, HandoffRow.claimed_at).where(
                    HandoffRow.claimed_at.is_not(None),
                    HandoffRow.origin != HandoffOrigin.OPERATOR,
                    HandoffRow.created_at >= since,
                ),
                HandoffRow.conversation_id,
            )
            for created_at, claimed_at in session.execute(query):
                if claimed_at is None:  # excluded by the query; the column is nullable
                    continue
                day = as_utc(created_at).astimezone(VN_TZ).strftime("%Y-%m-%d")
                minutes = max(0.0, (as_utc(claimed_at) - as_utc(created_at)).total_seconds() / 60)
                waits.setdefault(day, []).append(minutes)
        return [
            DailyWait(day, len(minutes), round(sum(minutes) / len(minutes), 1), round(max(minutes), 1))
            for day, minutes in sorted(waits.items())
        ]

    def citizen_requests(self) -> int:
        """How many times citizens asked for a person (the console's figure)."""
        with self._db.session() as session:
            query = select(func.count(HandoffRow.id)).where(HandoffRow.origin == HandoffOrigin.CITIZEN)
            return int(session.scalar(query) or 0)


def _active(session: Session, conversation_id: str) -> HandoffRow | None:
    return session.scalar(
        select(HandoffRow).where(
            HandoffRow.conversation_id == conversation_id, HandoffRow.state != HandoffState.CLOSED
        )
    )


def _active_or_new(
    session: Session, conversation_id: str, channel: str, sender_id: str, origin: HandoffOrigin
) -> tuple[HandoffRow, bool]:
    """The conversation's active request, or a new open one (True); the unique index settles a race."""
    row = _active(session, conversation_id)
    if row is not None:
        return row, False
    now = utcnow()
    row = HandoffRow(
        conversation_id=conversation_id,
        channel=channel,
        sender_id=sender_id,
        reason="",
        last_message="",
        state=HandoffState.OPEN,
        origin=origin,
        after_hours=False,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another process opened one in the meantime: that one is the conversation's request.
        existing = _active(session, conversation_id)
        assert existing is not None
        return existing, False
    return row, True


def _handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        id=row.id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        sender_id=row.sender_id,
        reason=row.reason,
        last_message=row.last_message,
        state=HandoffState(row.state),
        origin=HandoffOrigin(row.origin),
        operator=row.operator,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        after_hours=bool(row.after_hours),
    )


def handoff_reply_text(
    handoff: Handoff,
    *,
    position: int | None,
    opening: datetime | None,
    now: datetime,
    hotline: str,
) -> str:
    """What the citizen is told after asking for a person: the place in the queue while staff are at
    work; outside working hours, when they are back and that the question is kept for them."""
    if opening is not None:
        question = handoff.last_message.strip()
        kept = f" Tôi đã ghi lại câu hỏi của bạn: “{question[:300]}”." if question else ""
        return (
            f"Hiện đang ngoài giờ làm việc nên chưa có cán bộ trực. Cán bộ sẽ làm việc trở lại lúc "
            f"{opening_text(opening, now)}.{kept} Cán bộ sẽ trả lời ngay trong cuộc trò chuyện này khi vào "
            f"ca (số yêu cầu {handoff.id}); bạn không cần nhắn lại. Nếu cần gấp, bạn gọi đường dây nóng "
            f"{hotline}."
        )
    if handoff.state is HandoffState.CLAIMED:
        return (
            f"Cán bộ {handoff.operator} đang hỗ trợ bạn trong cuộc trò chuyện này (số yêu cầu {handoff.id})."
        )
    place = f" Bạn đang ở vị trí số {position} trong hàng chờ." if position else ""
    return (
        f"Tôi đã chuyển yêu cầu của bạn tới cán bộ hỗ trợ (số yêu cầu {handoff.id}).{place} Cán bộ sẽ trả "
        f"lời ngay trong cuộc trò chuyện này. Nếu cần gấp, bạn gọi đường dây nóng {hotline}."
    )
