"""`make bench-chat`: a bounded load test of the gateway on loopback, end to end.

N concurrent simulated citizens (default 20) each ask questions for a fixed time (default 60 s) through
``POST /api/v1/chat`` (API → Rasa → action server → search), then the same for search-only requests
(``GET /api/v1/procedures/search``). Prints throughput and latency percentiles per phase.

Without ``--url`` it starts its own stack on free loopback ports the way the tests do (evaluation/stack.py:
action server with a seeded database, Rasa, the API as uvicorn), and stops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from evaluation.stack import own_stack

# Citizens' questions as typed: with and without diacritics, abbreviations, a dossier code.
CHAT_QUESTIONS = [
    "đăng ký khai sinh cần giấy tờ gì",
    "le phi cap doi cccd bao nhieu",
    "làm hộ chiếu mất bao lâu",
    "dang ky ket hon nop o dau",
    "cấp lại giấy phép lái xe cần những gì",
    "thủ tục đăng ký thường trú",
    "xin chào",
    "tra cứu hồ sơ H56.14-261110-0021",
    "lý lịch tư pháp làm online được không",
    "sổ đỏ bị mất thì làm lại thế nào",
]
SEARCH_QUERIES = [
    "khai sinh",
    "cap lai cccd",
    "hộ chiếu phổ thông",
    "đăng ký kết hôn",
    "giay phep lai xe",
    "thường trú",
    "lý lịch tư pháp",
    "so do",
    "đăng ký hộ kinh doanh",
    "bảo hiểm y tế",
]
QUESTIONS_PER_CONVERSATION = 5


@dataclass
class PhaseResult:
    name: str
    seconds: float
    users: int
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.startswith("2"))

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def run_phase(
    name: str,
    users: int,
    seconds: float,
    request: Callable[[httpx.AsyncClient, int, int], Awaitable[str]],
    url: str,
    think: float = 0.0,
) -> PhaseResult:
    """Closed loop: each user sends, waits for the answer, pauses ``think`` seconds, sends again."""
    result = PhaseResult(name, seconds, users)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def user(number: int) -> None:
            for turn in itertools.count():
                if time.perf_counter() >= deadline:
                    return
                started = time.perf_counter()
                try:
                    status = await request(client, number, turn)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                result.statuses[status] += 1
                if think:
                    await asyncio.sleep(think)

        await asyncio.gather(*(user(n) for n in range(users)))
    return result


def sender_and_text(run_id: str, user: int, turn: int) -> tuple[str, str]:
    # A new conversation every few questions, as citizens come and go.
    sender = f"bench-{run_id}-{user}-{turn // QUESTIONS_PER_CONVERSATION}"
    return sender, CHAT_QUESTIONS[(user + turn) % len(CHAT_QUESTIONS)]


def chat_request(run_id: str, modes: Counter[str]) -> Callable[[httpx.AsyncClient, int, int], Awaitable[str]]:
    async def ask(client: httpx.AsyncClient, user: int, turn: int) -> str:
        sender, text = sender_and_text(run_id, user, turn)
        response = await client.post("/api/v1/chat", json={"sender": sender, "text": text})
        if response.status_code == 200:
            modes[response.json().get("mode", "?")] += 1
        return str(response.status_code)

    return ask


def rasa_request(run_id: str) -> Callable[[httpx.AsyncClient, int, int], Awaitable[str]]:
    """The same questions straight to Rasa's REST channel: what the gateway adds is the difference."""

    async def ask(client: httpx.AsyncClient, user: int, turn: int) -> str:
        sender, text = sender_and_text(run_id, user, turn)
        response = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
        return str(response.status_code)

    return ask


async def search_request(client: httpx.AsyncClient, user: int, turn: int) -> str:
    query = SEARCH_QUERIES[(user + turn) % len(SEARCH_QUERIES)]
    response = await client.get("/api/v1/procedures/search", params={"q": query, "limit": 5})
    return str(response.status_code)


def table(results: list[PhaseResult]) -> str:
    columns = (
        ("users", 6),
        ("requests", 10),
        ("ok", 8),
        ("req/s", 9),
        ("p50 ms", 9),
        ("p95 ms", 9),
        ("p99 ms", 9),
    )
    header = f"{'endpoint':<34}" + "".join(f"{name:>{width}}" for name, width in columns)
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.name:<34}{r.users:>6}{len(r.latencies_ms):>10}{r.ok:>8}{r.ok / r.seconds:>9.1f}"
            f"{r.percentile(50):>9.0f}{r.percentile(95):>9.0f}{r.percentile(99):>9.0f}"
        )
    return "\n".join(lines)


async def warm_up(url: str) -> None:
    """One question of each kind first, so the numbers measure answering, not model loading."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for text in CHAT_QUESTIONS:
            await client.post(
                "/api/v1/chat", json={"sender": f"bench-warmup-{uuid.uuid4().hex[:6]}", "text": text}
            )
        for query in SEARCH_QUERIES:
            await client.get("/api/v1/procedures/search", params={"q": query})


async def measure(url: str, users: int, seconds: float, think: float, rasa_url: str | None) -> None:
    await warm_up(url)
    modes: Counter[str] = Counter()
    run_id = uuid.uuid4().hex[:8]
    results = [
        await run_phase("POST /api/v1/chat, 1 user", 1, min(seconds, 20), chat_request(run_id, modes), url),
        await run_phase(
            "POST /api/v1/chat (end to end)", users, seconds, chat_request(run_id, modes), url, think
        ),
    ]
    if rasa_url:
        results.append(
            await run_phase(
                "Rasa REST channel, no gateway", users, seconds, rasa_request(run_id), rasa_url, think
            )
        )
    results.append(
        await run_phase("GET /api/v1/procedures/search", users, seconds, search_request, url, think)
    )
    print()
    print(table(results))
    print()
    print(f"think time between a user's requests: {think:.1f} s")
    print(f"chat answers by mode: {dict(modes)} (degraded = Rasa did not answer in time)")
    for r in results:
        failures = {s: n for s, n in r.statuses.items() if not s.startswith("2")}
        if failures:
            print(f"{r.name}: non-2xx {failures}")
    print(f"target: p95 <= 300 ms for /api/v1/chat at {users} concurrent users")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.chat_bench", description=__doc__)
    parser.add_argument("--url", help="a running stack on loopback (default: start one on free ports)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.0, help="pause of each user between requests (s)")
    args = parser.parse_args(argv)
    if args.url:
        host = urlsplit(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            print("the load test only runs against loopback addresses", file=sys.stderr)
            return 2
        asyncio.run(measure(args.url.rstrip("/"), args.users, args.seconds, args.think, None))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp, own_stack(Path(tmp)) as (url, rasa_url):
        print(f"stack started at {url}; {args.users} users, {args.seconds:.0f} s per phase")
        asyncio.run(measure(url, args.users, args.seconds, args.think, rasa_url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
