"""Citizen feedback (phản ánh, kiến nghị) with tracking numbers, and conversation ratings.

Feedback is committed to the database before anything is said to the citizen: the tracking number
the citizen receives always refers to a stored row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assistant.database import VN_TZ, Database, as_utc, utcnow
from assistant.tables import FeedbackCounterRow, FeedbackRow, RatingRow
from vntext.normalize import normalize, strip_accents

FEEDBACK_CATEGORIES = ("phản ánh", "kiến nghị")
_SUGGESTION_WORDS = ("kien nghi", "de nghi", "de xuat", "gop y", "mong muon", "nen ")


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


def feedback_status_text(feedback: Feedback | None, tracking_number: str, hotline: str) -> str:
    """What a citizen may learn of a feedback by its number alone: that it was received, when, what kind.

    Its content and contact stay private. Handling by the agencies (assignment, answers) is not recorded
    by the assistant yet, so it says so rather than guess.
    """
    if feedback is None:
        return (
            f"Tôi không tìm thấy phản ánh, kiến nghị số {tracking_number}. Bạn vui lòng kiểm tra lại số "
            f"(dạng PA-năm tháng ngày-số thứ tự, ví dụ PA-20261123-0001) hoặc gọi đường dây nóng {hotline}."
        )
    received = feedback.created_at.astimezone(VN_TZ).strftime("%d/%m/%Y")
    return (
        f"{feedback.category.capitalize()} số {feedback.tracking_number} đã được tiếp nhận ngày {received} "
        "và chuyển tới cơ quan có thẩm quyền xem xét. Kết quả xử lý chưa được cập nhật trên kênh này; "
        "cơ quan sẽ trả lời theo thông tin liên hệ bạn để lại (nếu có). "
        f"Cần hỏi thêm, bạn gọi đường dây nóng {hotline}."
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
                )
            )
        return Feedback(number, category, content.strip(), contact, consent, channel, sender_id, now)

    def get(self, tracking_number: str) -> Feedback | None:
        with self._db.session() as session:
            row = session.scalar(select(FeedbackRow).where(FeedbackRow.tracking_number == tracking_number))
            return None if row is None else _feedback(row)

    def recent(self, limit: int = 50) -> list[Feedback]:
        with self._db.session() as session:
            rows = session.scalars(select(FeedbackRow).order_by(FeedbackRow.id.desc()).limit(limit))
            return [_feedback(r) for r in rows]

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


def _feedback(row: FeedbackRow) -> Feedback:
    return Feedback(
        row.tracking_number,
        row.category,
        row.content,
        row.contact,
        row.consent,
        row.channel,
        row.sender_id,
        as_utc(row.created_at),
    )
