"""Every SQL table of the assistant, on one declarative base.

Only the Alembic chain in ``assistant/migrations`` creates them (SQLite in development, PostgreSQL in
production, same history); a test checks that the two agree. The gateway's tables keep their ``api_``
prefix from the time they were created apart.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from assistant.database import utcnow


class Base(DeclarativeBase):
    pass


class DossierRow(Base):
    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    procedure_code: Mapped[str] = mapped_column(String(32))
    procedure_name: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applicant_masked: Mapped[str] = mapped_column(String(128))
    # Only a salted HMAC of the phone number's last 4 digits: enough for the second factor, useless if leaked.
    phone_last4_salt: Mapped[str] = mapped_column(String(64))
    phone_last4_hash: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    history: Mapped[list[DossierStatusRow]] = relationship(
        back_populates="dossier", order_by="DossierStatusRow.changed_at", cascade="all, delete-orphan"
    )


class DossierStatusRow(Base):
    __tablename__ = "dossier_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    status: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")

    dossier: Mapped[DossierRow] = relationship(back_populates="history")


class FeedbackCounterRow(Base):
    """Per-day sequence for tracking numbers, bumped with one atomic upsert."""

    __tablename__ = "feedback_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    category: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(32))
    sender_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Handling by the agencies (``assistant.feedback.FeedbackStatus``); every change is in feedback_events.
    status: Mapped[str] = mapped_column(String(16), server_default="received", index=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    agency: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How the answer reached the citizen: sent, kept (shown by the widget), queued (in the channel outbox),
    # outside_window, failed.
    answer_delivery: Mapped[str | None] = mapped_column(String(32))


class FeedbackEventRow(Base):
    """One step in the handling of a feedback: status, agency, note, who did it and when."""

    __tablename__ = "feedback_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    operator: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RatingRow(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HandoffRow(Base):
    """Requests for a person; the active one (not closed) of a conversation says who answers it."""

    __tablename__ = "handoff_requests"
    __table_args__ = (
        # At most one active request per conversation, and the index every question by conversation uses.
        Index(
            "uq_handoff_requests_active_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    sender_id: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    last_message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), index=True)
    # "citizen" (asked), "assistant" (did not understand) or "operator" (took it over unasked)
    origin: Mapped[str] = mapped_column(String(16), server_default="citizen")
    operator: Mapped[str | None] = mapped_column(String(128))
    # Asked outside working hours: the question waits for the next session and is listed first then.
    after_hours: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When an operator first took it: the citizen's wait is this minus created_at (the console's report).
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OperatorRow(Base):
    """An account of the operator console."""

    __tablename__ = "api_operators"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Wrong passwords in a row, and until when the account refuses logins after too many.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OperatorSessionRow(Base):
    """A signed-in console session; the cookie is valid only while its row exists (logout deletes it)."""

    __tablename__ = "api_operator_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConversationRow(Base):
    """One conversation per sender id across all channels, as the gateway saw it (who answers it is
    ``handoff_requests``)."""

    __tablename__ = "api_conversations"

    sender_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    last_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # SHA-256 of the web conversation's secret (the widget's poll presents it); None until issued.
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    # Marked by staff as a test (trying the assistant, a demonstration): left out of the reports.
    is_test: Mapped[bool] = mapped_column(Boolean, server_default=text("false"), default=False)
    # The platform's id of the citizen's latest message (Zalo's msg_id): a Zalo send that names it is a
    # reply to it, not a proactive message.
    last_message_ref: Mapped[str | None] = mapped_column(String(128))


class TranscriptRow(Base):
    __tablename__ = "api_transcript"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    # "citizen", "bot", "operator" or "search"
    author: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxRow(Base):
    """Operator messages for web conversations, fetched by the widget's poll."""

    __tablename__ = "api_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChatEventRow(Base):
    """What the assistant understood of each citizen message: the source of the console's analytics."""

    __tablename__ = "api_chat_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    procedure_code: Mapped[str | None] = mapped_column(String(32))
    procedure_name: Mapped[str | None] = mapped_column(Text)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class ChannelOutboxRow(Base):
    """A reply to Zalo or Messenger: written before it is sent, marked sent after (retried until then)."""

    __tablename__ = "api_channel_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON: [{"text": …, "buttons": [{"title", "payload"}]}]
    author: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")


class InboundEventRow(Base):
    """A Zalo or Messenger event, stored before the webhook answers 200; done once answered."""

    __tablename__ = "api_inbound_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True, index=True)  # the platform's message id
    sender_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))  # "text", "welcome" or "unsupported"
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChannelTokenRow(Base):
    """Access tokens the gateway renews itself (the Zalo OA token lives about 25 hours)."""

    __tablename__ = "api_channel_tokens"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HandlingRatingRow(Base):
    """Satisfaction with the handling of one dossier (one per dossier, changeable; no citizen identity)."""

    __tablename__ = "dossier_handling_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_code: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    agency: Mapped[str] = mapped_column(Text)
    procedure_code: Mapped[str] = mapped_column(String(32))
    # rat_hai_long, hai_long, khong_hai_long
    overall: Mapped[str] = mapped_column(String(16))
    # Each criterion met (True), not met (False) or not answered (None).
    staff_attitude: Mapped[bool | None] = mapped_column(Boolean)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    guidance: Mapped[bool | None] = mapped_column(Boolean)
    fees: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DossierSubscriptionRow(Base):
    """A conversation told of each change of a dossier's status (subscribed after the second factor).

    ``status`` is the last status the subscriber knows of: a change is a status different from it.
    ``next_check_at`` and ``check_interval_seconds`` drive the polling of a one-stop-shop system (iGate),
    which cannot tell us of changes itself; the SQL store tells on write and leaves them alone.
    """

    __tablename__ = "dossier_subscriptions"
    __table_args__ = (
        # One active subscription per dossier and conversation.
        Index(
            "uq_dossier_subscriptions_active",
            "dossier_code",
            "sender_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_code: Mapped[str] = mapped_column(String(64), index=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when the citizen stops it, or when the dossier reached a status after which nothing changes.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_check_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    check_interval_seconds: Mapped[float] = mapped_column(Float)


class DossierNotificationRow(Base):
    """A change of status to tell one subscriber, written in the transaction that saw the change.

    ``state``: pending (the gateway sends it through the channel delivery), held (the platform's window
    is closed: sent when the citizen next writes) or done (``delivery`` says how it went).
    """

    __tablename__ = "dossier_notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("dossier_subscriptions.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    dossier_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16), index=True)
    # Claimed by a gateway until then (a lease, as the channel outbox's), so two never send it both.
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivery: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
