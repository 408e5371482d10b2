"""The console's figures: top procedures asked, unanswered questions, ratings per day, handoffs."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel
from sqlalchemy import func, select

from assistant.conversations import ConversationStore
from assistant.database import VN_TZ, as_utc, utcnow
from assistant.services import Services as DomainServices
from assistant.tables import HandoffRow, RatingRow


class ProcedureCount(BaseModel):
    code: str
    name: str
    count: int


class Unanswered(BaseModel):
    text: str
    at: str


class DailyRating(BaseModel):
    day: str
    count: int
    average: float


class Analytics(BaseModel):
    top_procedures: list[ProcedureCount]
    unanswered: list[Unanswered]
    ratings_by_day: list[DailyRating]
    intents: dict[str, int]
    handoff_requests: int


def ratings_by_day(domain: DomainServices, days: int = 30) -> list[DailyRating]:
    since = utcnow() - timedelta(days=days)
    with domain.database.session() as session:
        rows = session.execute(
            select(RatingRow.created_at, RatingRow.score).where(RatingRow.created_at >= since)
        )
        per_day: dict[str, list[int]] = {}
        for created_at, score in rows:
            per_day.setdefault(as_utc(created_at).astimezone(VN_TZ).strftime("%Y-%m-%d"), []).append(score)
    return [
        DailyRating(day=day, count=len(scores), average=round(sum(scores) / len(scores), 2))
        for day, scores in sorted(per_day.items())
    ]


def handoff_count(domain: DomainServices) -> int:
    with domain.database.session() as session:
        return int(session.scalar(select(func.count(HandoffRow.id))) or 0)


def collect(store: ConversationStore, domain: DomainServices) -> Analytics:
    return Analytics(
        top_procedures=[ProcedureCount(code=c, name=n, count=k) for c, n, k in store.top_procedures()],
        unanswered=[
            Unanswered(text=text, at=at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"))
            for text, at in store.unanswered()
        ],
        ratings_by_day=ratings_by_day(domain),
        intents=store.intent_counts(),
        handoff_requests=handoff_count(domain),
    )
