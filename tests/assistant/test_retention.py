"""Retention (issue 13, finding 7): `python -m assistant purge` deletes citizens' data older than the
retention, and `forget` one conversation's data on request — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from assistant.__main__ import main
from assistant.database import Database, utcnow
from assistant.retention import forget, parse_duration
from assistant.tables import (
    ChatEventRow,
    ConversationRow,
    FeedbackRow,
    HandoffRow,
    OutboxRow,
    RatingRow,
    TranscriptRow,
)

OLD = utcnow() - timedelta(days=120)
NEW = utcnow() - timedelta(days=3)


def fill(database: Database, sender: str, at: object, state: str = "closed") -> None:
    with database.session() as s:
        s.add(ConversationRow(sender_id=sender, channel="web", last_message_at=at))
        s.add(TranscriptRow(sender_id=sender, author="citizen", text="CCCD 079012345678", created_at=at))
        s.add(OutboxRow(sender_id=sender, text="Chào bạn", author="canbo.lan", created_at=at))
        s.add(ChatEventRow(sender_id=sender, channel="web", text="…", created_at=at))
        s.add(
            HandoffRow(
                conversation_id=sender,
                channel="web",
                sender_id=sender,
                reason="công dân yêu cầu",
                state=state,
                origin="citizen",
                created_at=at,
                updated_at=at,
            )
        )
        s.add(RatingRow(conversation_id=sender, channel="web", score=4, comment="", created_at=at))
        s.add(
            FeedbackRow(
                tracking_number=f"PA-{sender}",
                category="khac",
                content="phản ánh",
                contact="0912345678",
                consent=True,
                channel="web",
                sender_id=sender,
                created_at=at,
                status_changed_at=at,
            )
        )
    with database.engine.begin() as connection:  # Rasa's SQL tracker store, as in production
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, '{}')"
            ),
            {"s": sender, "t": at.timestamp()},  # type: ignore[attr-defined]
        )


def count(database: Database, table: str, sender: str, column: str = "sender_id") -> int:
    with database.engine.connect() as connection:
        return int(
            connection.execute(
                sa.text(f"SELECT COUNT(*) FROM {table} WHERE {column} = :s"), {"s": sender}
            ).scalar_one()
        )


@pytest.fixture
def filled(database: Database) -> Database:
    # The columns of Rasa's SQL tracker store that the purge reads.
    sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("data", sa.Text),
    ).create(database.engine)
    fill(database, "web-old", OLD)
    fill(database, "web-new", NEW)
    fill(database, "web-old-open", OLD, state="open")  # still waiting for a person: kept
    return database


def test_purge_deletes_what_is_older_than_the_retention(
    filled: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", filled.engine.url.render_as_string(hide_password=False))
    assert main(["purge", "--older-than", "90d"]) == 0
    assert "transcript 2" in capsys.readouterr().out
    for table in ("api_transcript", "api_outbox", "api_chat_events", "api_conversations", "events"):
        assert count(filled, table, "web-old") == 0, table
        assert count(filled, table, "web-new") == 1, table
    assert count(filled, "handoff_requests", "web-old", "conversation_id") == 0
    assert count(filled, "handoff_requests", "web-old-open", "conversation_id") == 1
    assert count(filled, "handoff_requests", "web-new", "conversation_id") == 1
    with filled.engine.connect() as connection:
        contacts = dict(connection.execute(sa.text("SELECT sender_id, contact FROM feedback")).all())
    assert contacts["web-old"] is None and contacts["web-new"] == "0912345678"


def test_the_retention_setting_is_the_default(filled: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", filled.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RETENTION_DAYS", "200")
    assert main(["purge"]) == 0
    assert count(filled, "api_transcript", "web-old") == 1  # 120 days < 200
    assert main(["purge", "--older-than", "ninety"]) == 2


def test_a_citizen_can_have_their_conversation_forgotten(filled: Database) -> None:
    counts = forget(filled, "web-new")
    assert counts["transcript"] == 1 and counts["rasa_tracker_events"] == 1
    for table in ("api_transcript", "api_outbox", "api_chat_events", "api_conversations", "events"):
        assert count(filled, table, "web-new") == 0, table
    assert count(filled, "ratings", "web-new", "conversation_id") == 0
    assert count(filled, "api_transcript", "web-old") == 1  # others untouched


def test_durations() -> None:
    assert parse_duration("90d") == timedelta(days=90) == parse_duration("90")
    assert parse_duration("36h") == timedelta(hours=36)
    with pytest.raises(ValueError):
        parse_duration("0d")
