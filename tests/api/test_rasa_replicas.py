"""The gateway's Rasa client with several replicas: real HTTP servers on loopback standing in for Rasa's
gateway channel. A conversation stays on one replica, turns spread across replicas, a replica that
refuses connections is skipped, and a turn that reached a replica is never sent to another."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from api.rasa_client import RasaClient, RasaUnavailable, rank, split_urls
from evaluation.platform_fakes import FakePlatform
from evaluation.stack import free_port
from tests.api.conftest import gateway_app, serve


class FakeRasa:
    """A gateway channel that answers with its own name, after ``delay`` seconds, with ``status``;
    ``silent``: with no message, as Rasa does when a custom action fails (action server down)."""

    def __init__(self, name: str, *, delay: float = 0.0, status: int = 200, silent: bool = False):
        self.name = name
        self.delay = delay
        self.status = status
        self.silent = silent
        self.senders: Counter[str] = Counter()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.senders[body["sender"]] += 1
                time.sleep(fake.delay)
                answer = {
                    "messages": [] if fake.silent else [{"recipient_id": body["sender"], "text": fake.name}],
                    "turn": {"intent": "greet", "confidence": 0.9, "latest_action": "utter_greet"},
                }
                data = json.dumps(answer).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def replicas() -> Iterator[list[FakeRasa]]:
    servers = [FakeRasa("A"), FakeRasa("B")]
    yield servers
    for server in servers:
        server.stop()


def client(urls: list[str], timeout: float = 5.0, retries: int = 0) -> RasaClient:
    return RasaClient(",".join(urls), timeout_seconds=timeout, retries=retries, backoff_seconds=0.01)


async def ask(rasa: RasaClient, senders: list[str]) -> list[str]:
    try:
        return [(await rasa.send_message(s, "xin chào")).messages[0]["text"] for s in senders]
    finally:
        await rasa.aclose()


def test_rasa_url_lists_replicas() -> None:
    assert split_urls("http://a:5005/, http://b:5005") == ["http://a:5005", "http://b:5005"]
    assert split_urls("http://rasa:5005") == ["http://rasa:5005"]


def test_a_conversation_stays_on_its_replica_and_conversations_spread(replicas: list[FakeRasa]) -> None:
    senders = [f"web-{n}" for n in range(40)] * 3
    answered = asyncio.run(ask(client([r.url for r in replicas]), senders))
    by_sender: dict[str, set[str]] = {}
    for sender, name in zip(senders, answered, strict=True):
        by_sender.setdefault(sender, set()).add(name)
    assert all(len(names) == 1 for names in by_sender.values())
    counts = Counter(answered)
    assert counts["A"] >= 30 and counts["B"] >= 30, counts


def test_the_understanding_comes_with_the_answer(replicas: list[FakeRasa]) -> None:
    async def one() -> dict[str, object] | None:
        rasa = client([replicas[0].url])
        try:
            return (await rasa.send_message("web-1", "xin chào")).understanding
        finally:
            await rasa.aclose()

    assert asyncio.run(one()) == {"intent": "greet", "confidence": 0.9, "latest_action": "utter_greet"}


def test_a_replica_that_refuses_connections_is_skipped(replicas: list[FakeRasa]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    senders = [f"web-{n}" for n in range(30)]
    answered = asyncio.run(ask(client([dead, replicas[0].url]), senders))
    assert answered == ["A"] * 30
    assert sum(replicas[0].senders.values()) == 30  # each turn reached exactly one replica, once


def test_a_replica_killed_between_turns_hands_its_conversations_over(replicas: list[FakeRasa]) -> None:
    a, b = replicas
    urls = [a.url, b.url]
    on_b = [s for s in (f"web-{n}" for n in range(40)) if rank(urls, s)[0] == b.url]
    assert on_b

    async def scenario() -> list[str]:
        rasa = client(urls)
        try:
            first = [(await rasa.send_message(s, "1")).messages[0]["text"] for s in on_b]
            b.stop()
            second = [(await rasa.send_message(s, "2")).messages[0]["text"] for s in on_b]
            return first + second
        finally:
            await rasa.aclose()

    answered = asyncio.run(scenario())
    assert answered == ["B"] * len(on_b) + ["A"] * len(on_b)
    assert all(a.senders[s] == 1 and b.senders[s] == 1 for s in on_b)


def test_a_turn_that_reached_a_replica_is_never_sent_to_another() -> None:
    slow, healthy = FakeRasa("slow", delay=1.5), FakeRasa("healthy")
    failing = FakeRasa("failing", status=500)
    try:
        for first in (slow, failing):
            urls = [first.url, healthy.url]
            sender = next(s for s in (f"web-{n}" for n in range(100)) if rank(urls, s)[0] == first.url)
            with pytest.raises(RasaUnavailable):
                asyncio.run(ask(client(urls, timeout=0.5, retries=2), [sender]))
            assert first.senders[sender] == 1
            assert healthy.senders[sender] == 0
    finally:
        for server in (slow, healthy, failing):
            server.stop()


def test_no_replica_reachable_is_rasa_unavailable() -> None:
    dead = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    with pytest.raises(RasaUnavailable, match="no Rasa replica reachable"):
        asyncio.run(ask(client(dead, retries=1), ["web-1"]))


def test_removing_a_replica_moves_only_its_conversations() -> None:
    urls = [f"http://10.0.0.{n}:5005" for n in range(1, 4)]
    senders = [f"web-{n}" for n in range(300)]
    before = {s: rank(urls, s)[0] for s in senders}
    after = {s: rank(urls[:2], s)[0] for s in senders}
    moved = {s for s in senders if before[s] != after[s]}
    assert moved == {s for s in senders if before[s] == urls[2]}


def test_a_name_resolving_to_several_addresses_is_several_replicas(monkeypatch: pytest.MonkeyPatch) -> None:
    from api import rasa_client

    async def resolve(self: object, host: str, port: int, **kwargs: object) -> list[tuple[object, ...]]:
        assert host == "rasa" and port == 5005
        return [(2, 1, 6, "", (f"172.18.0.{n}", port)) for n in (3, 2, 3)]

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", resolve)
    assert asyncio.run(rasa_client._expand("http://rasa:5005")) == [
        "http://172.18.0.2:5005",
        "http://172.18.0.3:5005",
    ]


def test_an_address_or_a_single_name_stays_one_replica() -> None:
    from api import rasa_client

    assert asyncio.run(rasa_client._expand("http://127.0.0.1:5005")) == ["http://127.0.0.1:5005"]
    # localhost has an IPv4 and an IPv6 address but is one server: only IPv4 addresses count.
    assert asyncio.run(rasa_client._expand("http://localhost:5005")) == ["http://localhost:5005"]


def test_a_turn_rasa_answers_with_nothing_gets_the_search_answer(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    """Found by `make bench-faults`: with the action server killed, Rasa runs the turn, logs the failed
    custom action and answers with no message; the citizen got HTTP 200 and nothing to read."""
    silent = FakeRasa("silent", silent=True)
    api = serve(gateway_app(tmp_path, zalo_platform, graph_platform, rasa_url=silent.url))
    try:
        with api.client() as http:
            response = http.post("/api/v1/chat", json={"sender": "web-im-lang", "text": "lệ phí khai sinh"})
        assert response.status_code == 200
        body = response.json()
        assert body["mode"] == "degraded"
        assert "tra cứu nhanh" in body["messages"][0]["text"]
        assert silent.senders["web-im-lang"] == 1
    finally:
        api.stop()
        silent.stop()
