"""`make bench-chat`: where a chat turn's CPU goes, what the gateway sustains, and a replica dying mid-load.

Starts its own stack on free loopback ports (evaluation/stack.py): one action server (seeded database),
four Rasa servers — when ``var/models/rasa/baseline-ted.tar.gz`` is there (`make rasa-model-baseline`:
today's config plus the TEDPolicy it had until issue 14), Rasa as it ran before (that model, the REST
channel, Rasa's own SQL tracker store) and that model with today's code; and two replicas A and B of the
current model sharing a SQLite tracker store and a Redis lock store (127.0.0.1:6379) — and two gateways,
one in front of replica A alone, one in front of A and B. Every figure of one run is measured on the same
machine at the same time, so the ratios hold even when the absolute numbers move with the load of a
shared machine (printed).

Phases (``--seconds`` each, conversations that mix procedure questions, follow-ups and dossier lookups):

1. **Before/after, straight to Rasa** (closed loop, ``--rasa-users``), one change at a time: before (TED,
   REST channel, Rasa's SQL store, and the gateway's ``GET /conversations/{id}/tracker`` after each turn);
   without that fetch; with the gateway channel, the pooled WAL SQLite store and the action-answer
   validator built once (bot/gateway_channel.py, bot/rasa_speedups.py); with RulePolicy and
   MemoizationPolicy only (after); then ``/model/parse`` alone (NLU). CPU per turn of each process is read
   from its CPU counters (``/proc``), which gives the breakdown: tracker fetch, schema check and SQLite,
   TED policy, NLU, the rest of a turn in Rasa (policies, tracker store, events, action round trip), the
   action server, and later the gateway.
2. **Through the gateway** (``POST /api/v1/chat``): one user; saturation (closed loop, ``--users``) with one
   Rasa replica and with two; open loop at 5 and 10 turns/s offered (a turn is sent on schedule whether or
   not the previous ones were answered) with p50/p95/p99, for one replica and for two.
3. **Failover**: open loop at 10 turns/s through the two-replica gateway, replica B stopped half-way —
   first with SIGTERM (a rolling update: Rasa finishes the turns it has), then, started again, with
   SIGKILL (a crash); counts turns that failed (non-2xx or no answer) and turns answered from search
   alone (those in flight on a killed replica: they may have run, so they are never sent again).
4. ``GET /api/v1/procedures/search`` saturation, as before.

The last line is machine-readable and stable (``key=value``, in this order)::

    bench_chat cpu_ms_before=… cpu_ms_after=… cpu_ratio=… sat1=… sat2=… p95_1user=… p95_open10=…
    p99_open10=… failover_failed=… failover_degraded=… load=…

``cpu_ms_*``: Rasa + action server CPU ms per turn (before: TED + tracker fetch; after: current);
``cpu_ratio`` = after/before; ``sat1``/``sat2``: turns/s through the gateway with 1 and 2 Rasa replicas;
``p95_1user``, ``p95_open10``, ``p99_open10`` (two replicas): ms; ``failover_*``: turns; ``load``: the
1-minute load average when the run ended (2 cores: above 2 means other work shared them).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import redis

from evaluation.stack import (
    RASA_MODEL,
    ROOT,
    ServerProcess,
    launch_rasa_server,
    seed_database,
    start_api_server,
    start_seeded_action_server,
    wait_healthy,
)

BASELINE_MODEL = ROOT / "var" / "models" / "rasa" / "baseline-ted.tar.gz"
REDIS = "127.0.0.1:6379/0"

# Conversations as citizens have them: a procedure question and its follow-ups, with and without
# diacritics and abbreviations, a dossier lookup, greetings and thanks.
CONVERSATIONS = [
    ["đăng ký khai sinh cần giấy tờ gì", "còn lệ phí thì sao", "mất bao lâu"],
    ["le phi cap doi cccd bao nhieu", "nop o dau", "cam on"],
    ["tra cứu hồ sơ H56.14-261110-0021", "cảm ơn"],
    ["xin chào", "làm hộ chiếu mất bao lâu", "có làm online được không"],
    ["dang ky ket hon nop o dau", "can giay to gi"],
    ["cấp lại giấy phép lái xe cần những gì", "lệ phí bao nhiêu"],
    ["lý lịch tư pháp làm online được không", "mất mấy ngày"],
    ["hồ sơ H56.14-261105-0034 đến đâu rồi", "cảm ơn nhé"],
    ["sổ đỏ bị mất thì làm lại thế nào", "nộp ở đâu"],
    ["thủ tục đăng ký thường trú", "điều kiện là gì"],
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

Request = Callable[[httpx.AsyncClient, str, str], Awaitable[str]]


class Conversations:
    """Turns for a slot (a user of the closed loop, a lane of the open loop): the scripted conversations
    in turn, each under a new sender id."""

    def __init__(self, run_id: str):
        self._run_id = run_id

    def turns(self, slot: int) -> Iterator[tuple[str, str]]:
        for n in itertools.count():
            script = CONVERSATIONS[(slot + n) % len(CONVERSATIONS)]
            sender = f"bench-{self._run_id}-{slot}-{n}"
            for text in script:
                yield sender, text


# ----------------------------------------------------------------------------- CPU counters
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process of a process group (each server runs in its own)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:  # fields[0] is the state: pgrp is the 5th field of the stat line
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


class CpuMeter:
    def __init__(self, servers: dict[str, ServerProcess]):
        self.servers = servers

    def snapshot(self) -> dict[str, float]:
        return {
            name: group_cpu_seconds(s.process.pid)
            for name, s in self.servers.items()
            if s.process.poll() is None
        }


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# ----------------------------------------------------------------------------- phases
@dataclass
class PhaseResult:
    name: str
    seconds: float
    users: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.startswith("2"))

    @property
    def failed(self) -> int:
        return sum(self.statuses.values()) - self.ok

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]

    def cpu_ms_per_ok(self, *names: str) -> float:
        return 1000 * sum(self.cpu.get(n, 0.0) for n in names) / self.ok if self.ok else float("nan")


async def _timed(
    result: PhaseResult, request: Request, client: httpx.AsyncClient, sender: str, text: str
) -> None:
    started = time.perf_counter()
    try:
        status = await request(client, sender, text)
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    result.statuses[status] += 1


async def closed_loop(
    name: str, url: str, users: int, seconds: float, request: Request, conversations: Conversations
) -> PhaseResult:
    """Each user sends, waits for the answer, sends the next turn."""
    result = PhaseResult(name, seconds, str(users))
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def user(slot: int) -> None:
            for sender, text in conversations.turns(slot):
                if time.perf_counter() >= deadline:
                    return
                await _timed(result, request, client, sender, text)

        await asyncio.gather(*(user(n) for n in range(users)))
    return result


async def open_loop(
    name: str,
    url: str,
    rate: float,
    seconds: float,
    request: Request,
    conversations: Conversations,
    during: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> PhaseResult:
    """Turns sent on a fixed schedule (``rate`` per second) whatever the answers' latency; ``lanes``
    conversations run side by side, each turn of a lane waiting for the lane's previous one."""
    result = PhaseResult(name, seconds, f"{rate:g}/s")
    lanes = max(1, int(rate * 2))  # a citizen takes ~2 s between turns at the offered rate
    total = int(rate * seconds)
    turns = [conversations.turns(lane) for lane in range(lanes)]
    previous: list[asyncio.Task[None] | None] = [None] * lanes
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        side = asyncio.create_task(during()) if during else None
        start = time.perf_counter()
        tasks = []
        for k in range(total):
            delay = start + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            lane = k % lanes
            sender, text = next(turns[lane])
            before = previous[lane]

            async def turn(
                before: asyncio.Task[None] | None = before, sender: str = sender, text: str = text
            ) -> None:
                if before is not None:
                    await asyncio.wait({before})
                await _timed(result, request, client, sender, text)

            task = asyncio.create_task(turn())
            previous[lane] = task
            tasks.append(task)
        await asyncio.gather(*tasks)
        if side is not None:
            await side
    return result


def chat_request(result_modes: Counter[str]) -> Request:
    async def ask(client: httpx.AsyncClient, sender: str, text: str) -> str:
        response = await client.post("/api/v1/chat", json={"sender": sender, "text": text})
        if response.status_code == 200:
            result_modes[str(response.json().get("mode", "?"))] += 1
        return str(response.status_code)

    return ask


def rasa_request(fetch_tracker: bool, channel: str = "gateway") -> Request:
    """A turn straight to a Rasa channel (``gateway``, or ``rest`` as the gateway called it before issue
    14); ``fetch_tracker`` adds what the gateway then did after every answer
    (``GET /conversations/{id}/tracker``)."""

    async def ask(client: httpx.AsyncClient, sender: str, text: str) -> str:
        response = await client.post(f"/webhooks/{channel}/webhook", json={"sender": sender, "message": text})
        if fetch_tracker and response.status_code == 200:
            await client.get(f"/conversations/{sender}/tracker", params={"include_events": "NONE"})
        return str(response.status_code)

    return ask


async def parse_request(client: httpx.AsyncClient, sender: str, text: str) -> str:
    return str((await client.post("/model/parse", json={"text": text})).status_code)


async def search_request(client: httpx.AsyncClient, sender: str, text: str) -> str:
    query = SEARCH_QUERIES[hash(sender + text) % len(SEARCH_QUERIES)]
    response = await client.get("/api/v1/procedures/search", params={"q": query, "limit": 5})
    return str(response.status_code)


async def metered(meter: CpuMeter, phase: Awaitable[PhaseResult]) -> PhaseResult:
    before = meter.snapshot()
    result = await phase
    after = meter.snapshot()
    result.cpu = {name: after[name] - before[name] for name in before if name in after}
    return result


async def warm_up(url: str, path: str, payload: Callable[[str], dict[str, str]]) -> None:
    """Each text once first, so the numbers measure answering, not loading."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for text in {t for script in CONVERSATIONS for t in script}:
            await client.post(path, json=payload(text))


# ----------------------------------------------------------------------------- report
def table(results: list[PhaseResult], cpu_names: list[str]) -> str:
    header = (
        f"{'phase':<46}{'load':>7}{'turns':>7}{'ok':>7}{'turns/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}"
        + "".join(f"{n[:9]:>10}" for n in cpu_names)
    )
    lines = [header + "   (latency ms; CPU ms per answered turn)", "-" * len(header)]
    for r in results:
        cpu = "".join(
            f"{r.cpu_ms_per_ok(n):>10.1f}" if n in r.cpu and r.ok else f"{'':>10}" for n in cpu_names
        )
        lines.append(
            f"{r.name:<46}{r.users:>7}{sum(r.statuses.values()):>7}{r.ok:>7}{r.rate:>9.1f}"
            f"{r.percentile(50):>7.0f}{r.percentile(95):>7.0f}{r.percentile(99):>7.0f}{cpu}"
        )
    return "\n".join(lines)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


# ----------------------------------------------------------------------------- the run
@dataclass
class Stack:
    actions: ServerProcess
    rasa_a: ServerProcess
    rasa_b: ServerProcess | None
    rasa_legacy: ServerProcess | None
    rasa_ted: ServerProcess | None
    api_1: ServerProcess
    api_2: ServerProcess | None
    # Starts replica B again on its port (after a stop), returns it once it answers.
    restart_b: Callable[[], ServerProcess] | None = None

    def all(self) -> list[ServerProcess]:
        servers = (
            self.api_2,
            self.api_1,
            self.rasa_legacy,
            self.rasa_ted,
            self.rasa_b,
            self.rasa_a,
            self.actions,
        )
        return [s for s in servers if s is not None]


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(f"redis://{REDIS}", socket_timeout=1).ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def bench_stack(work: Path) -> Iterator[Stack]:
    database_url = seed_database(work)
    started: list[ServerProcess] = []
    try:
        actions = start_seeded_action_server(work, database_url)
        started.append(actions)
        replicated = redis_available()
        if not replicated:
            print("no Redis at 127.0.0.1:6379: the two-replica phases are skipped", flush=True)
        shared_db = work / "rasa_tracker.db"
        lock = REDIS if replicated else None
        rasa_a = launch_rasa_server(
            actions.url, work / "rasa-a", name="rasa-a", tracker_db=shared_db, lock_redis=lock
        )
        started.append(rasa_a)

        def launch_b(port: int | None = None) -> ServerProcess:
            return launch_rasa_server(
                actions.url, work / "rasa-b", name="rasa-b", port=port, tracker_db=shared_db, lock_redis=lock
            )

        rasa_b = launch_b() if replicated else None
        if rasa_b:
            started.append(rasa_b)
        rasa_legacy = rasa_ted = None
        if BASELINE_MODEL.exists():
            # Before issue 14: TED, the REST channel, Rasa's own SQL tracker store, no speed-ups loaded.
            rasa_legacy = launch_rasa_server(
                actions.url, work / "rasa-legacy", BASELINE_MODEL, name="rasa-legacy", legacy=True
            )
            rasa_ted = launch_rasa_server(actions.url, work / "rasa-ted", BASELINE_MODEL, name="rasa-ted")
            started += [rasa_legacy, rasa_ted]
        else:
            print(f"no {BASELINE_MODEL.relative_to(ROOT)}: the before/after phases are skipped", flush=True)
        for server in started[1:]:
            server.wait_ready("/status", 600)

        def api(name: str, rasa: list[ServerProcess]) -> ServerProcess:
            env = {
                "DATABASE_URL": database_url,
                "QDRANT_PATH": str(work / f"qdrant-{name}"),
                "RASA_URL": ",".join(r.url for r in rasa),
                "RASA_REPLICAS": str(len(rasa)),
                "ACTION_SERVER_URL": actions.url,
                # One client address makes all the load here: the per-client limit would refuse it.
                "RATE_LIMIT_PER_MINUTE": "10000000",
            }
            return start_api_server(env, work / name, name=name)

        api_1 = api("api-1", [rasa_a])
        started.append(api_1)
        api_2 = api("api-2", [rasa_a, rasa_b]) if rasa_b else None
        if api_2:
            started.append(api_2)
        for gateway in (api_1, api_2):
            if gateway is not None:
                report = wait_healthy(gateway.url, 300)
                if report.get("status") != "up":
                    raise SystemExit(f"the stack is not healthy: {report}")

        def restart_b() -> ServerProcess:
            assert rasa_b is not None
            again = launch_b(int(urlsplit(rasa_b.url).port or 0))
            started.append(again)
            again.wait_ready("/status", 600)
            return again

        yield Stack(
            actions, rasa_a, rasa_b, rasa_legacy, rasa_ted, api_1, api_2, restart_b if rasa_b else None
        )
    finally:
        for server in reversed(started):
            server.stop()


async def measure(stack: Stack, users: int, rasa_users: int, seconds: float) -> str:
    run = Conversations(uuid.uuid4().hex[:8])
    meter = CpuMeter({s.name: s for s in stack.all()})
    cpu_names = ["rasa-legacy", "rasa-ted", "rasa-a", "rasa-b", "action-server", "api-1", "api-2"]
    results: list[PhaseResult] = []
    modes: Counter[str] = Counter()
    chat = chat_request(modes)

    def done(r: PhaseResult) -> PhaseResult:
        results.append(r)
        print(
            f"  {r.name}: {r.ok}/{sum(r.statuses.values())} ok, {r.rate:.1f}/s, "
            f"p95 {r.percentile(95):.0f} ms",
            flush=True,
        )
        return r

    def gateway_payload(text: str) -> dict[str, str]:
        return {"sender": f"bench-warmup-{uuid.uuid4().hex[:6]}", "message": text}

    if stack.rasa_legacy is not None:
        await warm_up(stack.rasa_legacy.url, "/webhooks/rest/webhook", gateway_payload)
    for rasa in (stack.rasa_ted, stack.rasa_a, stack.rasa_b):
        if rasa is not None:
            await warm_up(rasa.url, "/webhooks/gateway/webhook", gateway_payload)
    for gateway in (stack.api_1, stack.api_2):
        if gateway is not None:
            await warm_up(
                gateway.url,
                "/api/v1/chat",
                lambda t: {"sender": f"bench-w-{uuid.uuid4().hex[:6]}", "text": t},
            )

    # 1. before/after straight to Rasa
    before = legacy = ted = None
    if stack.rasa_legacy is not None and stack.rasa_ted is not None:
        url = stack.rasa_legacy.url
        before = done(
            await metered(
                meter,
                closed_loop(
                    "before: TED, REST, SQL store, fetch",
                    url,
                    rasa_users,
                    seconds,
                    rasa_request(True, "rest"),
                    run,
                ),
            )
        )
        legacy = done(
            await metered(
                meter,
                closed_loop(
                    "  same without the tracker fetch",
                    url,
                    rasa_users,
                    seconds,
                    rasa_request(False, "rest"),
                    run,
                ),
            )
        )
        ted = done(
            await metered(
                meter,
                closed_loop(
                    "  + gateway channel, pooled store, validator",
                    stack.rasa_ted.url,
                    rasa_users,
                    seconds,
                    rasa_request(False),
                    run,
                ),
            )
        )
    after = done(
        await metered(
            meter,
            closed_loop(
                "after: + rules and memoization only",
                stack.rasa_a.url,
                rasa_users,
                seconds,
                rasa_request(False),
                run,
            ),
        )
    )
    nlu = done(
        await metered(
            meter,
            closed_loop(
                "NLU alone: /model/parse (Rasa)", stack.rasa_a.url, rasa_users, seconds, parse_request, run
            ),
        )
    )

    # 2. through the gateway
    one_user = done(
        await metered(
            meter, closed_loop("gateway, 1 user, 1 replica", stack.api_1.url, 1, min(seconds, 20), chat, run)
        )
    )
    sat1 = done(
        await metered(
            meter, closed_loop("gateway saturation, 1 replica", stack.api_1.url, users, seconds, chat, run)
        )
    )
    for rate in (5.0, 10.0):
        done(
            await metered(
                meter,
                open_loop(
                    f"gateway open loop {rate:g}/s, 1 replica", stack.api_1.url, rate, seconds, chat, run
                ),
            )
        )
    sat2 = open10 = failover = graceful = None
    if stack.api_2 is not None and stack.rasa_b is not None:
        sat2 = done(
            await metered(
                meter,
                closed_loop("gateway saturation, 2 replicas", stack.api_2.url, users, seconds, chat, run),
            )
        )
        for rate in (5.0, 10.0):
            open10 = done(
                await metered(
                    meter,
                    open_loop(
                        f"gateway open loop {rate:g}/s, 2 replicas", stack.api_2.url, rate, seconds, chat, run
                    ),
                )
            )

        def stop_b(victim: ServerProcess, sig: signal.Signals) -> Callable[[], Coroutine[Any, Any, None]]:
            async def stop() -> None:
                await asyncio.sleep(seconds)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(victim.process.pid, sig)
                print(f"  sent {sig.name} to {victim.name} at {seconds:.0f} s", flush=True)

            return stop

        # A rolling update or a scale-down: SIGTERM, Rasa finishes the turns it has.
        graceful_modes: Counter[str] = Counter()
        graceful = done(
            await metered(
                meter,
                open_loop(
                    "failover: B stopped (SIGTERM), 2 replicas",
                    stack.api_2.url,
                    10.0,
                    2 * seconds,
                    chat_request(graceful_modes),
                    run,
                    during=stop_b(stack.rasa_b, signal.SIGTERM),
                ),
            )
        )
        graceful.modes = graceful_modes
        assert stack.restart_b is not None
        stack.rasa_b = await asyncio.to_thread(stack.restart_b)
        meter.servers["rasa-b"] = stack.rasa_b
        await warm_up(stack.rasa_b.url, "/webhooks/gateway/webhook", gateway_payload)
        # A crash: SIGKILL, the turns in flight on B are lost.
        failover_modes: Counter[str] = Counter()
        failover = done(
            await metered(
                meter,
                open_loop(
                    "failover: B killed (SIGKILL), 2 replicas",
                    stack.api_2.url,
                    10.0,
                    2 * seconds,
                    chat_request(failover_modes),
                    run,
                    during=stop_b(stack.rasa_b, signal.SIGKILL),
                ),
            )
        )
        failover.modes = failover_modes
    done(
        await metered(
            meter,
            closed_loop(
                "GET /api/v1/procedures/search", stack.api_1.url, users, seconds, search_request, run
            ),
        )
    )

    load = load_average()
    print()
    print(table(results, [n for n in cpu_names if any(n in r.cpu for r in results)]))
    print()
    print(f"chat answers by mode (all gateway phases but failover): {dict(modes)} (degraded = search alone)")
    for r in results:
        failures = {s: n for s, n in r.statuses.items() if not s.startswith("2")}
        if failures:
            print(f"{r.name}: failed {failures}")

    cpu_parts = ("rasa-legacy", "rasa-a", "action-server")
    cpu_before = before.cpu_ms_per_ok(*cpu_parts) if before else float("nan")
    cpu_after = after.cpu_ms_per_ok(*cpu_parts)
    print()
    print("CPU per turn, from the processes' CPU counters (ms; straight to Rasa, closed loop):")
    rasa_after = after.cpu_ms_per_ok("rasa-a")
    nlu_ms = nlu.cpu_ms_per_ok("rasa-a")
    if before is not None and legacy is not None and ted is not None:
        rasa_before = before.cpu_ms_per_ok("rasa-legacy")
        rasa_legacy = legacy.cpu_ms_per_ok("rasa-legacy")
        rasa_ted = ted.cpu_ms_per_ok("rasa-ted")
        print(f"  Rasa before                            {rasa_before:7.1f}")
        print(f"    the gateway's per-turn tracker fetch {rasa_before - rasa_legacy:7.1f}")
        print(f"    action answer schema check, SQLite   {rasa_legacy - rasa_ted:7.1f}")
        print(f"    TEDPolicy                            {rasa_ted - rasa_after:7.1f}")
    print(f"  Rasa after                             {rasa_after:7.1f}")
    print(f"    of which NLU (/model/parse alone)    {nlu_ms:7.1f}")
    print(f"    the rest (policies, tracker store, events, action round trip) {rasa_after - nlu_ms:7.1f}")
    print(f"  action server                          {after.cpu_ms_per_ok('action-server'):7.1f}")
    print(f"  gateway (saturation, 1 replica)        {sat1.cpu_ms_per_ok('api-1'):7.1f}")
    if before is not None:
        print(
            f"  Rasa + action server: before {cpu_before:.1f}, after {cpu_after:.1f}: "
            f"after/before = {ratio(cpu_after, cpu_before):.2f}; "
            f"turns/s after/before = {ratio(after.rate, before.rate):.2f}"
        )
    if sat2 is not None:
        print(f"  saturation through the gateway: 2 replicas / 1 replica = {ratio(sat2.rate, sat1.rate):.2f}")
    for label, phase in (("stopped, SIGTERM", graceful), ("killed, SIGKILL", failover)):
        if phase is not None:
            print(
                f"failover, replica {label}: {phase.failed} failed turns of {sum(phase.statuses.values())}, "
                f"answered from search alone: {phase.modes.get('degraded', 0)}"
            )
    print(f"load average at the end: {load:.2f} (2 cores; the bar: ≥ 25 turns/s, p95 ≤ 300 ms at 10/s)")

    def fmt(value: float | None, digits: int = 1) -> str:
        return "nan" if value is None or value != value else f"{value:.{digits}f}"

    return (
        f"bench_chat cpu_ms_before={fmt(cpu_before)} cpu_ms_after={fmt(cpu_after)} "
        f"cpu_ratio={fmt(ratio(cpu_after, cpu_before), 2)} sat1={fmt(sat1.rate)} "
        f"sat2={fmt(sat2.rate if sat2 else None)} p95_1user={fmt(one_user.percentile(95), 0)} "
        f"p95_open10={fmt(open10.percentile(95) if open10 else None, 0)} "
        f"p99_open10={fmt(open10.percentile(99) if open10 else None, 0)} "
        f"failover_failed={failover.failed if failover else 'nan'} "
        f"failover_degraded={failover.modes.get('degraded', 0) if failover else 'nan'} load={load:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.chat_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--users", type=int, default=20, help="closed-loop users through the gateway")
    parser.add_argument("--rasa-users", type=int, default=10, help="closed-loop users straight to Rasa")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    args = parser.parse_args(argv)
    if not RASA_MODEL.exists():
        print(f"no Rasa model at {RASA_MODEL}: run `make rasa-model`", file=sys.stderr)
        return 2
    print(f"load average at the start: {load_average():.2f} (2 cores)", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp, bench_stack(Path(tmp)) as stack:
        print(f"stack up: {', '.join(f'{s.name} {urlsplit(s.url).port}' for s in stack.all())}", flush=True)
        last = asyncio.run(measure(stack, args.users, args.rasa_users, args.seconds))
    print(last)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
