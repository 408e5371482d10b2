"""Rasa endpoint files store conversations: SQLite locally, PostgreSQL plus a Redis lock in production."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import psycopg2
import pytest
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.gateway_channel import SUMMARIES, TurnSummarySQLTrackerStore, summarise

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
    "DB_HOST": "127.0.0.1",
    "DB_PORT": "5432",
    "DB_NAME": "rasa_tracker_test",
    "DB_USER": "postgres",
    "DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO / "bot" / "domain.yml"))


def _round_trip(store: TrackerStore, domain: Domain) -> list[str]:
    sender = f"kiem-tra-{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker(sender, domain.slots)
    tracker.update(UserUttered("làm căn cước cần giấy tờ gì", {"name": "ask_documents", "confidence": 1.0}))

    async def save_and_load() -> DialogueStateTracker | None:
        await store.save(tracker)
        return await store.retrieve(sender)

    loaded = asyncio.run(save_and_load())
    assert loaded is not None
    return [event.text for event in loaded.events if isinstance(event, UserUttered)]


def test_local_endpoints_store_conversations_in_sqlite_under_var(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoints = read_endpoints_from_path(str(REPO / "bot" / "endpoints.yml"))
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"
    monkeypatch.chdir(tmp_path)  # the path is relative to where rasa runs (the repo root)
    (tmp_path / "var").mkdir()
    store = TrackerStore.create(endpoints.tracker_store, domain)
    # Not Rasa's silent fallback to the in-memory store when a custom class does not load.
    assert isinstance(store, TurnSummarySQLTrackerStore)
    assert _round_trip(store, domain) == ["làm căn cước cần giấy tờ gì"]
    assert (tmp_path / "var" / "rasa_tracker.db").is_file()


def test_saving_a_turn_leaves_its_summary_for_the_gateway_channel(domain: Domain, tmp_path: Path) -> None:
    store = TurnSummarySQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    sender = f"kiem-tra-{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker(sender, domain.slots)
    tracker.update(UserUttered("le phi khai sinh", {"name": "ask_fee", "confidence": 0.93}))
    tracker.update(SlotSet("procedure_code", "1.001193"))
    tracker.update(ActionExecuted("action_answer_fee"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    assert SUMMARIES.pop(sender) == {
        "intent": "ask_fee",
        "confidence": 0.93,
        "latest_action": "action_answer_fee",
        "slots": {"procedure_code": "1.001193", "procedure_name": None},
    }
    assert SUMMARIES.pop(sender) is None
    # Only the procedure slots: a phone number or a feedback text in other slots never leaves Rasa.
    assert set(summarise(tracker)["slots"]) == {"procedure_code", "procedure_name"}


@pytest.fixture()
def tracker_database() -> str:
    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PRODUCTION_ENV["DB_NAME"],))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{PRODUCTION_ENV["DB_NAME"]}"')
    connection.close()
    return PRODUCTION_ENV["DB_NAME"]


@pytest.mark.postgres
@pytest.mark.redis
def test_production_endpoints_use_postgres_and_a_redis_lock(
    domain: Domain, tracker_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    endpoints = read_endpoints_from_path(str(REPO / "bot" / "endpoints.production.yml"))
    assert endpoints.action.url == PRODUCTION_ENV["ACTION_ENDPOINT_URL"]
    store = TrackerStore.create(endpoints.tracker_store, domain)
    assert isinstance(store, TurnSummarySQLTrackerStore) and store.engine.dialect.name == "postgresql"
    assert _round_trip(store, domain) == ["làm căn cước cần giấy tờ gì"]
    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, RedisLockStore)
    conversation = f"kiem-tra-khoa-{uuid.uuid4().hex[:8]}"
    ticket = lock_store.issue_ticket(conversation)
    stored = lock_store.get_lock(conversation)
    assert stored is not None and stored.is_locked(ticket) is False
    lock_store.delete_lock(conversation)
    assert lock_store.get_lock(conversation) is None


def test_production_endpoints_refuse_to_start_without_their_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PRODUCTION_ENV:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RasaException, match=r"DB_HOST|ACTION_ENDPOINT_URL"):
        read_endpoints_from_path(str(REPO / "bot" / "endpoints.production.yml"))
