"""The console's figures: top procedures asked, unanswered questions, ratings per day, handoffs and how
long they waited for an operator, feedback and satisfaction with dossier handling per agency."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.conversations import ConversationStore
from assistant.database import VN_TZ, utcnow
from assistant.feedback import Deadlines
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


class AgencyFeedbackFigures(BaseModel):
    agency: str
    received: int
    answered: int
    overdue: int


class AgencyHandlingFigures(BaseModel):
    agency: str
    ratings: int
    satisfied_share: float


class DailyWait(BaseModel):
    day: str
    taken: int
    average_minutes: float
    longest_minutes: float


class DailyQuestions(BaseModel):
    day: str
    web: int = 0
    zalo: int = 0
    messenger: int = 0


class Analytics(BaseModel):
    top_procedures: list[ProcedureCount]
    unanswered: list[Unanswered]
    ratings_by_day: list[DailyRating]
    intents: dict[str, int]
    handoff_requests: int
    questions_by_day: list[DailyQuestions] = []
    feedback_by_agency: list[AgencyFeedbackFigures] = []
    handling_by_agency: list[AgencyHandlingFigures] = []
    handoff_waits: list[DailyWait] = []


def handoff_waits(domain: DomainServices) -> list[DailyWait]:
    return [
        DailyWait(
            day=w.day, taken=w.taken, average_minutes=w.average_minutes, longest_minutes=w.longest_minutes
        )
        for w in domain.handoffs.waits_by_day()
    ]


def feedback_figures(domain: DomainServices) -> list[AgencyFeedbackFigures]:
    s = domain.settings
    deadlines = Deadlines(s.working_hours(), s.feedback_received_days, s.feedback_processing_days)
    return [
        AgencyFeedbackFigures(agency=a.agency, received=a.received, answered=a.answered, overdue=a.overdue)
        for a in domain.feedback.by_agency(deadlines, utcnow())
    ]


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
        questions_by_day=[
            DailyQuestions(day=day, **{c: n for c, n in counts.items() if c in ("web", "zalo", "messenger")})
            for day, counts in store.questions_by_day()
        ],
        feedback_by_agency=feedback_figures(domain),
        handling_by_agency=[
            AgencyHandlingFigures(agency=a.agency, ratings=a.ratings, satisfied_share=a.satisfied_share)
            for a in domain.handling_ratings.by_agency()
        ],
        handoff_waits=handoff_waits(domain),
    )
