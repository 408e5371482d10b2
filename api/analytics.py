"""The console's figures: top procedures asked, unanswered questions, ratings per day, handoffs."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.conversations import ConversationStore
from assistant.database import VN_TZ
from assistant.services import Services as DomainServices


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


def collect(store: ConversationStore, domain: DomainServices) -> Analytics:
    return Analytics(
        top_procedures=[ProcedureCount(code=c, name=n, count=k) for c, n, k in store.top_procedures()],
        unanswered=[
            Unanswered(text=text, at=at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"))
            for text, at in store.unanswered()
        ],
        ratings_by_day=[
            DailyRating(day=day, count=count, average=average)
            for day, count, average in domain.feedback.ratings_by_day()
        ],
        intents=store.intent_counts(),
        handoff_requests=domain.handoffs.citizen_requests(),
    )
