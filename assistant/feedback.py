"""Citizen feedback (phản ánh, kiến nghị) with tracking numbers, its handling, and conversation ratings.

Feedback is committed to the database before anything is said to the citizen: the tracking number
the citizen receives always refers to a stored row. Staff then handle it in the console: assign an
agency, take it up (đang xử lý), answer it (đã trả lời) or pass it to another authority (chuyển cơ quan
khác); each status has a time limit in working days, after which it is overdue. The citizen asks
by number in the chat; the answer itself is shown only against the last 4 digits of the phone
number they left (or, without a phone number, in the conversation where they sent it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assistant.database import VN_TZ, Database, as_utc, utcnow
from assistant.office_hours import OfficeHours
from assistant.tables import FeedbackCounterRow, FeedbackEventRow, FeedbackRow, RatingRow
from vntext.normalize import normalize, strip_accents

FEEDBACK_CATEGORIES = ("phản ánh", "kiến nghị")
_SUGGESTION_WORDS = ("kien nghi", "de nghi", "de xuat", "gop y", "mong muon", "nen ")


class FeedbackStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def final(self) -> bool:
        return self in (FeedbackStatus.ANSWERED, FeedbackStatus.TRANSFERRED)


STATUS_LABELS = {
    FeedbackStatus.RECEIVED: "tiếp nhận",
    FeedbackStatus.IN_PROGRESS: "đang xử lý",
    FeedbackStatus.ANSWERED: "đã trả lời",
    FeedbackStatus.TRANSFERRED: "chuyển cơ quan khác",
}
# tiếp nhận → đang xử lý → đã trả lời / chuyển cơ quan khác (a received one may be answered or passed on
# at once); an answered or transferred feedback is closed.
TRANSITIONS = {
    FeedbackStatus.RECEIVED: {
        FeedbackStatus.IN_PROGRESS,
        FeedbackStatus.ANSWERED,
        FeedbackStatus.TRANSFERRED,
    },
    FeedbackStatus.IN_PROGRESS: {FeedbackStatus.ANSWERED, FeedbackStatus.TRANSFERRED},
    FeedbackStatus.ANSWERED: set(),
    FeedbackStatus.TRANSFERRED: set(),
}


UNASSIGNED = "Chưa giao cơ quan"


@dataclass(frozen=True)
class AgencyFeedback:
    agency: str
    received: int
    answered: int  # answered or passed on to another authority
    overdue: int


class FeedbackNotFound(LookupError):
    pass


class InvalidTransition(ValueError):
    """The change asked for does not follow the handling (the message is Vietnamese, for the console)."""


@dataclass(frozen=True)
class FeedbackEvent:
    status: FeedbackStatus
    agency: str | None
    note: str
    operator: str
    created_at: datetime


@dataclass(frozen=True)
class Feedback:
    tracking_number: str
    category: str
    content: str
    contact: str | None
    consent: bool
    channel: str
    sender_id: str
    created_at: datetime
    status: FeedbackStatus = FeedbackStatus.RECEIVED
    status_changed_at: datetime | None = None
    agency: str | None = None
    answer: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None
    answer_delivery: str | None = None
    history: tuple[FeedbackEvent, ...] = field(default=(), compare=False)

    def due_at(self, hours: OfficeHours, received_days: int, processing_days: int) -> datetime | None:
        """The deadline of the current status (None once answered or passed on)."""
        if self.status.final:
            return None
        days = received_days if self.status is FeedbackStatus.RECEIVED else processing_days
        return hours.add_working_days(self.status_changed_at or self.created_at, days)

    def overdue(self, now: datetime, hours: OfficeHours, received_days: int, processing_days: int) -> bool:
        due = self.due_at(hours, received_days, processing_days)
        return due is not None and now > due

    @property
    def phone_last4(self) -> str | None:
        """The last 4 digits of the phone number left as contact, if a phone number was left."""
        digits = re.sub(r"\D", "", self.contact or "")
        return digits[-4:] if len(digits) >= 9 else None


@dataclass(frozen=True)
class Deadlines:
    """What the overdue marking needs: the calendar and the days each status is given."""

    hours: OfficeHours
    received_days: int
    processing_days: int

    def due_at(self, feedback: Feedback) -> datetime | None:
        return feedback.due_at(self.hours, self.received_days, self.processing_days)

    def overdue(self, feedback: Feedback, now: datetime) -> bool:
        return feedback.overdue(now, self.hours, self.received_days, self.processing_days)


@dataclass(frozen=True)
class Rating:
    conversation_id: str
    channel: str
    score: int
    comment: str
    created_at: datetime


_NO_WORDS = frozenset(["khong", "ko", "k", "kg", "thoi", "no"])
_YES_PHRASES = ("dong y", "ok", "oke", "co", "duoc", "dc", "u", "vang", "da", "yes", "chac chan", "ung")


def consent_of(answer: str) -> bool | None:
    """Whether an answer to "may the agency contact you?" agrees: "ok đồng ý cho cơ quan gọi lại" → True,
    "không cần đâu" → False, anything else → None. A "không" anywhere wins ("không đồng ý")."""
    words = re.sub(r"[^\w\s]", " ", strip_accents(normalize(answer))).split()
    if any(word in _NO_WORDS for word in words):
        return False
    text = f" {' '.join(words)} "
    return True if any(f" {phrase} " in text for phrase in _YES_PHRASES) else None


def feedback_category(content: str) -> str:
    """A suggestion (kiến nghị) when the citizen proposes something, otherwise a report (phản ánh)."""
    plain = strip_accents(normalize(content)) + " "
    return "kiến nghị" if any(word in plain for word in _SUGGESTION_WORDS) else "phản ánh"


def _day(at: datetime) -> str:
    return at.astimezone(VN_TZ).strftime("%d/%m/%Y")


def feedback_status_text(
    feedback: Feedback | None,
    tracking_number: str,
    hotline: str,
    *,
    deadlines: Deadlines | None = None,
    now: datetime | None = None,
    verified: bool = False,
    digits_given: bool = False,
    locked_minutes: int | None = None,
) -> str:
    """What a citizen may learn of a feedback by its number: kind, dates, status, agency, deadline.

    Its content, contact and the answer stay private unless ``verified`` (the last 4 digits of the
    phone number they left, or the conversation they sent it from). ``locked_minutes``: too many wrong
    digits for this number lately, so none are checked for that long.
    """
    if feedback is None:
        return (
            f"Tôi không tìm thấy phản ánh, kiến nghị số {tracking_number}. Bạn vui lòng kiểm tra lại số "
            f"(dạng PA-năm tháng ngày-số thứ tự, ví dụ PA-20261123-0001) hoặc gọi đường dây nóng {hotline}."
        )
    kind = feedback.category.capitalize()
    lines = [f"{kind} số {feedback.tracking_number} đã được tiếp nhận ngày {_day(feedback.created_at)}."]
    status = feedback.status
    changed = feedback.status_changed_at or feedback.created_at
    if status is FeedbackStatus.RECEIVED:
        lines.append("Trạng thái: đã tiếp nhận, đang chờ cơ quan có thẩm quyền xem xét.")
    elif status is FeedbackStatus.IN_PROGRESS:
        lines.append(f"Trạng thái: đang xử lý (từ ngày {_day(changed)}).")
    elif status is FeedbackStatus.TRANSFERRED:
        lines.append(
            f"Trạng thái: đã chuyển tới {feedback.agency or 'cơ quan có thẩm quyền khác'} "
            f"ngày {_day(changed)}; cơ quan này sẽ trả lời bạn."
        )
    else:
        lines.append(f"Trạng thái: đã trả lời ngày {_day(feedback.answered_at or changed)}.")
    if feedback.agency and status in (FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS):
        lines.append(f"Cơ quan xử lý: {feedback.agency}.")
    if deadlines is not None and now is not None and (due := deadlines.due_at(feedback)) is not None:
        if now > due:
            lines.append(
                f"Đã quá hạn xử lý ({_day(due)}); chúng tôi đã ghi nhận để đôn đốc. Bạn có thể gọi "
                f"đường dây nóng {hotline}."
            )
        else:
            lines.append(f"Hạn xử lý bước này: {_day(due)}.")
    if status is FeedbackStatus.ANSWERED and feedback.answer:
        if verified:
            lines.append(f"Nội dung trả lời: {feedback.answer}")
        elif locked_minutes is not None:
            lines.append(
                "4 số cuối số điện thoại của phản ánh này đã bị nhập sai nhiều lần, nên tạm thời tôi "
                "không kiểm tra thêm để bảo vệ thông tin người gửi. Bạn vui lòng thử lại sau khoảng "
                f"{locked_minutes} phút, hoặc gọi đường dây nóng {hotline}."
            )
        elif digits_given:
            lines.append(
                "4 số bạn nhập chưa khớp với số điện thoại đã để lại, nên tôi chưa hiển thị nội dung "
                f"trả lời. Bạn kiểm tra lại hoặc gọi đường dây nóng {hotline}."
            )
        elif feedback.phone_last4:
            lines.append(
                "Để xem nội dung trả lời, bạn nhắn 4 số cuối của số điện thoại đã để lại khi gửi phản ánh."
            )
        else:
            lines.append(
                "Nội dung trả lời đã được gửi vào cuộc trò chuyện bạn dùng khi gửi phản ánh. Cần hỏi thêm, "
                f"bạn gọi đường dây nóng {hotline}."
            )
    return "\n".join(lines)


def may_see_answer(feedback: Feedback, *, sender_id: str, last4: str | None) -> bool:
    """The phone's last 4 digits when a phone number was left; otherwise the conversation it came from."""
    if feedback.phone_last4 is not None:
        return last4 is not None and last4 == feedback.phone_last4
    return sender_id == feedback.sender_id


def answer_message(feedback: Feedback) -> str:
    """The answer as the citizen receives it on their channel."""
    return (
        f"Trả lời {feedback.category} số {feedback.tracking_number}"
        + (f" ({feedback.agency})" if feedback.agency else "")
        + f":\n{feedback.answer or ''}"
    )


def transferred_message(feedback: Feedback) -> str:
    return (
        f"{feedback.category.capitalize()} số {feedback.tracking_number} của bạn đã được chuyển tới "
        f"{feedback.agency or 'cơ quan có thẩm quyền khác'} để xem xét, trả lời theo quy định."
    )


class FeedbackStore:
    """Raises ``assistant.database.DatabaseUnavailable`` when the database cannot take the write."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def submit(
        self,
        *,
        content: str,
        category: str,
        contact: str | None,
        consent: bool,
        channel: str,
        sender_id: str,
    ) -> Feedback:
        if not content.strip():
            raise ValueError("feedback content is empty")
        if category not in FEEDBACK_CATEGORIES:
            raise ValueError(f"unknown feedback category: {category}")
        now = utcnow()
        with self._db.session() as session:
            day = now.astimezone(VN_TZ).strftime("%Y%m%d")
            number = f"PA-{day}-{_next_in_day(session, day):04d}"
            session.add(
                FeedbackRow(
                    tracking_number=number,
                    category=category,
                    content=content.strip(),
                    contact=(contact or "").strip() or None,
                    consent=consent,
                    channel=channel,
                    sender_id=sender_id,
                    created_at=now,
                    status=FeedbackStatus.RECEIVED,
                    status_changed_at=now,
                )
            )
        return Feedback(
            number,
            category,
            content.strip(),
            contact,
            consent,
            channel,
            sender_id,
            now,
            status_changed_at=now,
        )

    def get(self, tracking_number: str, *, with_history: bool = False) -> Feedback | None:
        with self._db.session() as session:
            row = session.scalar(select(FeedbackRow).where(FeedbackRow.tracking_number == tracking_number))
            if row is None:
                return None
            return _feedback(row, _history(session, row.id) if with_history else ())

    def recent(self, limit: int = 50, *, statuses: set[FeedbackStatus] | None = None) -> list[Feedback]:
        """The newest first; only these statuses when given."""
        with self._db.session() as session:
            query = select(FeedbackRow).order_by(FeedbackRow.id.desc()).limit(limit)
            if statuses:
                query = query.where(FeedbackRow.status.in_([s.value for s in statuses]))
            return [_feedback(r) for r in session.scalars(query)]

    def update(
        self,
        tracking_number: str,
        *,
        operator: str,
        status: FeedbackStatus | None = None,
        agency: str | None = None,
        answer: str | None = None,
        note: str = "",
    ) -> Feedback:
        """One step of the handling, recorded with who took it.

        Assigning an agency keeps the status; answering needs the answer's text; passing it to another
        authority needs that authority's name. Raises FeedbackNotFound, InvalidTransition.
        """
        agency = (agency or "").strip() or None
        answer = (answer or "").strip() or None
        now = utcnow()
        with self._db.session() as session:
            row = session.scalar(
                select(FeedbackRow).where(FeedbackRow.tracking_number == tracking_number).with_for_update()
            )
            if row is None:
                raise FeedbackNotFound(tracking_number)
            current = FeedbackStatus(row.status)
            target = status or current
            if target is not current and target not in TRANSITIONS[current]:
                raise InvalidTransition(
                    f"Không chuyển được từ “{current.label}” sang “{target.label}”."
                    if not current.final
                    else f"Phản ánh đã ở trạng thái “{current.label}”, không thay đổi được nữa."
                )
            if target is current and current.final:
                raise InvalidTransition(
                    f"Phản ánh đã ở trạng thái “{current.label}”, không thay đổi được nữa."
                )
            if target is FeedbackStatus.ANSWERED and answer is None:
                raise InvalidTransition("Cần nhập nội dung trả lời trước khi chuyển sang “đã trả lời”.")
            if target is FeedbackStatus.TRANSFERRED and agency is None:
                raise InvalidTransition("Cần ghi tên cơ quan nhận phản ánh khi chuyển cơ quan khác.")
            if answer is not None and target is not FeedbackStatus.ANSWERED:
                raise InvalidTransition("Nội dung trả lời chỉ lưu khi chuyển sang “đã trả lời”.")
            if target is current and agency is None and not note.strip():
                raise InvalidTransition("Không có thay đổi nào để lưu.")
            if agency is not None:
                row.agency = agency
            if target is not current:
                row.status = target.value
                row.status_changed_at = now
            if target is FeedbackStatus.ANSWERED:
                row.answer = answer
                row.answered_by = operator
                row.answered_at = now
            session.add(
                FeedbackEventRow(
                    feedback_id=row.id,
                    status=target.value,
                    agency=agency,
                    note=note.strip(),
                    operator=operator,
                    created_at=now,
                )
            )
            session.flush()
            return _feedback(row, _history(session, row.id))

    def by_agency(self, deadlines: Deadlines, now: datetime) -> list[AgencyFeedback]:
        """Received, answered (or passed on) and overdue feedback per agency ("Chưa giao" when none)."""
        figures: dict[str, list[int]] = {}
        with self._db.session() as session:
            for row in session.scalars(select(FeedbackRow)):
                feedback = _feedback(row)
                counts = figures.setdefault(feedback.agency or UNASSIGNED, [0, 0, 0])
                counts[0] += 1
                counts[1] += feedback.status.final
                counts[2] += deadlines.overdue(feedback, now)
        rows = [AgencyFeedback(agency, *counts) for agency, counts in figures.items()]
        return sorted(rows, key=lambda a: (-a.received, a.agency))

    def record_delivery(self, tracking_number: str, outcome: str) -> None:
        """How the answer (or the notice of transfer) reached the citizen."""
        with self._db.session() as session:
            row = session.scalar(select(FeedbackRow).where(FeedbackRow.tracking_number == tracking_number))
            if row is not None:
                row.answer_delivery = outcome

    def rate(self, *, conversation_id: str, channel: str, score: int, comment: str = "") -> Rating:
        if not 1 <= score <= 5:
            raise ValueError("a rating is 1 to 5")
        now = utcnow()
        with self._db.session() as session:
            session.add(
                RatingRow(
                    conversation_id=conversation_id,
                    channel=channel,
                    score=score,
                    comment=comment,
                    created_at=now,
                )
            )
        return Rating(conversation_id, channel, score, comment, now)

    def ratings_by_day(self, days: int = 30) -> list[tuple[str, int, float]]:
        """(Vietnamese calendar day, number of ratings, average score) over the last ``days`` days."""
        since = utcnow() - timedelta(days=days)
        per_day: dict[str, list[int]] = {}
        with self._db.session() as session:
            rows = session.execute(
                select(RatingRow.created_at, RatingRow.score).where(RatingRow.created_at >= since)
            )
            for created_at, score in rows:
                day = as_utc(created_at).astimezone(VN_TZ).strftime("%Y-%m-%d")
                per_day.setdefault(day, []).append(score)
        return [
            (day, len(scores), round(sum(scores) / len(scores), 2)) for day, scores in sorted(per_day.items())
        ]

    def ratings(self, conversation_id: str) -> list[Rating]:
        with self._db.session() as session:
            rows = session.scalars(
                select(RatingRow).where(RatingRow.conversation_id == conversation_id).order_by(RatingRow.id)
            )
            return [
                Rating(r.conversation_id, r.channel, r.score, r.comment, as_utc(r.created_at)) for r in rows
            ]


def _next_in_day(session: Session, day: str) -> int:
    """One atomic upsert: concurrent submissions (threads or processes) never share a number."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = FeedbackCounterRow.__table__
    assert isinstance(table, Table)
    statement = (
        insert(table)
        .values(day=day, last_value=1)
        .on_conflict_do_update(index_elements=[table.c.day], set_={"last_value": table.c.last_value + 1})
        .returning(table.c.last_value)
    )
    return int(session.execute(statement).scalar_one())


def _history(session: Session, feedback_id: int) -> tuple[FeedbackEvent, ...]:
    rows = session.scalars(
        select(FeedbackEventRow)
        .where(FeedbackEventRow.feedback_id == feedback_id)
        .order_by(FeedbackEventRow.id)
    )
    return tuple(
        FeedbackEvent(FeedbackStatus(r.status), r.agency, r.note, r.operator, as_utc(r.created_at))
        for r in rows
    )


def _feedback(row: FeedbackRow, history: tuple[FeedbackEvent, ...] = ()) -> Feedback:
    return Feedback(
        row.tracking_number,
        row.category,
        row.content,
        row.contact,
        row.consent,
        row.channel,
        row.sender_id,
        as_utc(row.created_at),
        status=FeedbackStatus(row.status),
        status_changed_at=as_utc(row.status_changed_at) if row.status_changed_at else None,
        agency=row.agency,
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=as_utc(row.answered_at) if row.answered_at else None,
        answer_delivery=row.answer_delivery,
        history=history,
    )
