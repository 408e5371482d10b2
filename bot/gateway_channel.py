"""The gateway's channel into Rasa: the REST channel's answer plus what Rasa understood of the turn.

The API gateway used to ask for the whole tracker (``GET /conversations/{id}/tracker``) after every
answer, for its analytics: a second request per turn that re-read the conversation from the tracker store
and replayed it. This channel answers one request with both the bot's messages and a small summary of
the turn (intent, confidence, the last action, the procedure slots), taken from the tracker Rasa already
holds in memory when it saves it — no extra read.

``POST /webhooks/gateway/webhook`` ``{"sender": …, "message": …}`` →
``{"messages": [...REST channel messages...], "turn": {"intent": …, "confidence": …,
"latest_action": …, "slots": {"procedure_code": …, "procedure_name": …}}}`` (``turn`` is null when the
tracker store is not :class:`TurnSummarySQLTrackerStore`).

Enabled by ``bot.gateway_channel.GatewayInput:`` in bot/credentials.yml and
``type: bot.gateway_channel.TurnSummarySQLTrackerStore`` in the endpoints files.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_speedups

log = logging.getLogger(__name__)
rasa_speedups.install()

# The only slots the gateway is told about: what the turn was about, never personal data.
SUMMARY_SLOTS = ("procedure_code", "procedure_name")
# Turns saved but not (yet) collected by the channel (messages sent through another door): bounded.
MAX_PENDING = 10_000


class TurnSummaries:
    """The latest saved turn of each conversation, kept until the channel collects it."""

    def __init__(self, limit: int = MAX_PENDING):
        self._limit = limit
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, sender_id: str, summary: dict[str, Any]) -> None:
        with self._lock:
            self._items[sender_id] = summary
            self._items.move_to_end(sender_id)
            while len(self._items) > self._limit:
                self._items.popitem(last=False)

    def pop(self, sender_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._items.pop(sender_id, None)


SUMMARIES = TurnSummaries()


def last_action_of_turn(tracker: DialogueStateTracker) -> str | None:
    """The last action run after the citizen's latest message, action_listen aside."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, ActionExecuted) and event.action_name not in (None, ACTION_LISTEN_NAME):
            return event.action_name
    return None


def summarise(tracker: DialogueStateTracker) -> dict[str, Any]:
    latest = tracker.latest_message
    intent = (latest.intent or {}) if latest is not None else {}
    return {
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "latest_action": last_action_of_turn(tracker),
        "slots": {name: tracker.get_slot(name) for name in SUMMARY_SLOTS},
    }


class TurnSummarySQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store that also keeps a summary of the tracker it saves for the channel.

    On SQLite (the local run) the file is in WAL mode with ``synchronous=NORMAL`` and connections are
    pooled: Rasa 3.6 opens and closes a connection per query there (SQLAlchemy 1.4's NullPool for SQLite
    files), and each commit waited for an fsync (≈ 20 ms on this disk) while Rasa's event loop was blocked
    (SQLAlchemy is synchronous there). Replicas sharing the file read while another writes; a crash of
    the machine loses at most the last turns, never the file. PostgreSQL is left as Rasa configures it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, pool_size=2, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        try:
            SUMMARIES.put(tracker.sender_id, summarise(tracker))
        except Exception:  # the summary is for analytics; it must never break a conversation
            log.exception("could not summarise the turn")


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class GatewayInput(RestInput):
    """The REST channel, answering ``{"messages": [...], "turn": {...}}``."""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("gateway_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            if not isinstance(sender_id, str) or not isinstance(text, str):
                return response.json({"error": "sender and message are required"}, status=400)
            collector = CollectingOutputChannel()
            SUMMARIES.pop(sender_id)  # a stale summary never describes this turn
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:
                # Unlike the REST channel (which answers 200 with what it collected), say so: the
                # gateway then answers from search alone. Rasa saved nothing it would run again.
                log.exception("gateway channel: the turn failed")
                return response.json({"error": "the turn failed"}, status=500)
            return response.json({"messages": collector.messages, "turn": SUMMARIES.pop(sender_id)})

        return webhook
