"""Typed request and response bodies of the public API (the OpenAPI schema is generated from these)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

# Web sender ids never contain ":" so they cannot pose as a Zalo or Messenger conversation.
SENDER_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"


class Channel(StrEnum):
    WEB = "web"
    ZALO = "zalo"
    MESSENGER = "messenger"


class Button(BaseModel):
    title: str
    payload: str


class Link(BaseModel):
    title: str
    url: str


class ChatMessage(BaseModel):
    text: str = ""
    buttons: list[Button] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    image: str | None = None
    # Who wrote it: the assistant, a human operator, or the search-only fallback when Rasa is unavailable.
    source: Literal["bot", "operator", "search"] = "bot"


class ChatRequest(BaseModel):
    sender: str = Field(
        pattern=SENDER_ID_PATTERN,
        description="Conversation id chosen by the client (the widget keeps it in localStorage)",
        examples=["web-3f2a9c"],
    )
    text: str = Field(min_length=1, description="What the citizen typed, or a button payload")


class ChatResponse(BaseModel):
    sender: str
    messages: list[ChatMessage]
    mode: Literal["bot", "degraded", "operator"] = Field(
        description="bot: answered by the assistant; degraded: the assistant was unavailable and the answer "
        "comes from the procedure search alone; operator: a person has taken the conversation over"
    )
    conversation_token: str | None = Field(
        default=None,
        description="Secret of this conversation, returned once, on its first message: send it as the "
        "X-Conversation-Token header to read operator replies (GET /api/v1/chat/{sender}/updates)",
    )


class ChatUpdate(BaseModel):
    id: int
    message: ChatMessage
    created_at: datetime


class ChatUpdates(BaseModel):
    sender: str
    updates: list[ChatUpdate]
    operator_active: bool
    queue_position: int | None = Field(
        default=None, description="Place among the requests waiting for a person (1 = next), while waiting"
    )


class ChannelOption(BaseModel):
    kind: str
    processing_time: str
    fee: str


class DocumentItem(BaseModel):
    name: str
    originals: int = 0
    copies: int = 0
    form: str | None = None


class ProcedureSummary(BaseModel):
    code: str
    name: str
    levels: list[str]
    field: str
    agencies: list[str]
    online_level: str
    source_url: str
    score: float | None = None


class ProcedureDetail(ProcedureSummary):
    submission_address: str
    channels: list[ChannelOption]
    documents: list[DocumentItem]
    steps: list[str]
    conditions: str
    legal_basis: list[str]
    result: str


class ProcedureSearchResult(BaseModel):
    query: str
    results: list[ProcedureSummary]


class DossierStatusResponse(BaseModel):
    code: str
    found: bool
    message: str = Field(description="The answer in plain Vietnamese, as the assistant would give it")
    status: str | None = Field(default=None, description="The portal's status label, e.g. 'Đang xử lý'")
    next_step: str | None = None
    procedure_name: str | None = None
    agency: str | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    finished_at: datetime | None = None
    timeliness: str | None = Field(default=None, description="on_time, due_soon, overdue, finished_late…")
    verified: bool = Field(default=False, description="The second factor (phone_last4) matched")
    applicant: str | None = Field(default=None, description="Masked applicant name; only when verified")


class FeedbackRequest(BaseModel):
    content: str = Field(min_length=1, max_length=4000, description="Góp ý, phản ánh, kiến nghị")
    contact: str | None = Field(default=None, max_length=200, description="Phone or e-mail, optional")
    consent: bool = Field(default=False, description="Consent to be contacted about this feedback")
    category: Literal["phản ánh", "kiến nghị"] = "phản ánh"
    sender: str | None = Field(default=None, pattern=SENDER_ID_PATTERN)


class FeedbackResponse(BaseModel):
    tracking_number: str = Field(examples=["PA-20261123-0001"])
    message: str


class ComponentHealth(BaseModel):
    status: Literal["up", "down"]
    detail: str


class HealthResponse(BaseModel):
    status: Literal["up", "down"]
    components: dict[str, ComponentHealth]


class ErrorResponse(BaseModel):
    detail: str
