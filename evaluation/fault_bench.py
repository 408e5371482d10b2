"""`make bench-faults`: the fault suite of issue 13 — what citizens see, and what is lost, when a part of
the stack dies under load.

Starts, on free loopback ports and with production settings (``DEPLOYMENT=production``, PostgreSQL for
the assistant's data and Rasa's tracker store, Redis for rate limits, deduplication and Rasa's lock
store): a private PostgreSQL cluster in a temporary directory (``initdb``, trust authentication, never the
system one), a private ``redis-server`` (no persistence, as a cache pod), the action server, Rasa and the
API (evaluation/stack.py). The demo dossiers are seeded (``python -m assistant seed``).

A stream of conversations goes through ``POST /api/v1/chat`` (``--users`` citizens in a closed loop):
procedure questions, dossier lookups with a demo code, feedback submitted through the chat, and requests
for a person. During it, one at a time, each of Rasa, the action server, PostgreSQL and Redis is killed
(SIGKILL on its process group: a crash, not a shutdown) and started again at once, as an orchestrator
would; the stream goes on throughout.

Counted per phase: turns, HTTP statuses (5xx must be 0), turns answered in ``degraded`` mode (the
procedure search alone) and polite apologies (``Xin lỗi …``) in bot mode, turns that got no reply at all
(transport error or an empty answer) and Zalo messages never answered (together ``lost_replies``), and
the seconds from the kill until /health is up again and a probe conversation is answered by the
assistant (``recover_s``). A turn counts in the phase it started in. At the end, every
tracking number (``PA-…``) the chat gave for a feedback must be in the database, and every handoff it
confirmed (``số yêu cầu N``) must be a stored request of that conversation.

Outbound replies: besides the web widget (whose reply is the HTTP answer itself), a Zalo citizen sends a
signed ``user_send_text`` event to ``/webhooks/zalo`` every half second, the OA message API being the
repo's fake (evaluation/platform_fakes.py); every event the webhook accepted (2xx) must have had a reply
through that API by the end (the outbox retries every 2 s here, 30 s in production; 60 s are allowed to
catch up). Messenger goes through the same outbox and is not run.

The last line is machine-readable and stable::

    bench_faults lost_feedback=… lost_replies=… http_5xx=… degraded=… recover_s_max=…
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from evaluation.platform_fakes import FakePlatform, fake_zalo
from evaluation.stack import (
    PYTHON,
    RASA,
    RASA_CREDENTIALS,
    RASA_MODEL,
    ROOT,
    UNLIMITED_LOOKUPS,
    ServerProcess,
    free_port,
    start_process,
    wait_healthy,
)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/local/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PG_USER = os.environ.get("PG_USER", "postgres")  # the account the server runs as when we are root
PG_OPTIONS = ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "max_connections=100"]
REDIS_OPTIONS = ["--save", "", "--appendonly", "no"]  # a cache pod: a crash loses every key

FEEDBACK = [
    "minh can gui mot phan anh ve xa",
    "Bộ phận một cửa xã Tân Hòa hẹn trả sổ đỏ 3 lần rồi vẫn chưa có, hỏi thì không ai giải thích",
    "0912 888 456",
    "đồng ý cho liên hệ",
]
CONVERSATIONS: list[tuple[str, list[str]]] = [
    ("procedure", ["đăng ký khai sinh cần giấy tờ gì", "còn lệ phí thì sao", "mất bao lâu"]),
    ("dossier", ["tra cứu hồ sơ H56.14-261110-0021", "cảm ơn"]),
    ("feedback", FEEDBACK),
    ("procedure", ["le phi cap doi cccd bao nhieu", "nop o dau"]),
    ("handoff", ["cho tôi gặp cán bộ"]),
    ("dossier", ["hồ sơ H56.14-261105-0034 đến đâu rồi", "cảm ơn nhé"]),
    ("feedback", FEEDBACK),
    ("procedure", ["làm hộ chiếu mất bao lâu", "có làm online được không"]),
]
TRACKING = re.compile(r"\bPA-\d{8}-\d{4,}\b")
HANDOFF = re.compile(r"số yêu cầu (\d+)")
SORRY = re.compile(r"\bxin lỗi\b", re.IGNORECASE)
ZALO_APP_ID = "fault-bench-zalo-app"
ZALO_SECRET = "fault-bench-zalo-oa-secret"
ZALO_QUESTIONS = ["đăng ký khai sinh cần giấy tờ gì", "lệ phí cấp đổi căn cước", "làm hộ chiếu ở đâu"]
SECRETS = {
    "DEPLOYMENT": "production",
    "PHONE_HASH_SECRET": "fault-bench-" + "x" * 32,
    "OPERATOR_SESSION_SECRET": "fault-bench-session-" + "y" * 32,
}
# Staff on duty all week, so that a request for a person is queued whatever the hour of the run.
ALWAYS_OPEN = {"OFFICE_DAYS": "1-7", "OFFICE_HOURS": "00:00-23:59", "HOLIDAYS": ""}


# ---------------------------------------------------------------- private PostgreSQL and Redis
@dataclass
class Daemon:
    """A server process in its own process group that can be crashed and started again on its port."""

    name: str
    command: list[str]
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **self.env},
                user=self.user,
            )

    def kill(self) -> None:
        """SIGKILL the whole group: a crash, nothing is flushed."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]


def wait_port(daemon: Daemon, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if daemon.process is not None and daemon.process.poll() is not None:
            raise RuntimeError(f"{daemon.name} exited:\n{daemon.log_tail()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", daemon.port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{daemon.name} not listening after {timeout:.0f} s:\n{daemon.log_tail()}")


@contextmanager
def private_postgres(work: Path, databases: tuple[str, ...] = ("assistant",)) -> Iterator[Daemon]:
    """A throwaway PostgreSQL cluster under ``work`` (trust auth, user ``postgres``, loopback only, its
    socket in ``work``) on a free port, with ``databases`` created. Yields the running server."""
    # PostgreSQL refuses to run as root: then its files and processes belong to an unprivileged account.
    # Its own temporary directory, not one under ``work``, whose parents that account may not enter.
    user = PG_USER if os.geteuid() == 0 else None
    work.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="pg-", dir=work if user is None else None))
    if user is not None:
        shutil.chown(home, user)
    data = home / "data"
    initdb = subprocess.run(
        [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        capture_output=True,
        text=True,
        user=user,
    )
    if initdb.returncode != 0:
        shutil.rmtree(home, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {initdb.stderr.strip()}")
    port = free_port()
    daemon = Daemon(
        "postgres",
        [str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(home), *PG_OPTIONS],
        port,
        home / "postgres.log",
        user=user,
    )
    daemon.start()
    try:
        wait_pg(daemon)
        import psycopg

        with psycopg.connect(pg_dsn(port, "postgres"), autocommit=True) as conn:
            for name in databases:
                conn.execute(f'CREATE DATABASE "{name}"')
        yield daemon
    finally:
        daemon.stop()
        shutil.copy(daemon.log_path, work / "postgres.log")
        shutil.rmtree(home, ignore_errors=True)


def pg_dsn(port: int, db: str) -> str:
    return f"postgresql://postgres@127.0.0.1:{port}/{db}"


def wait_pg(daemon: Daemon, timeout: float = 60) -> None:
    """Until the server accepts queries (after a crash it replays its WAL first)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if daemon.process is not None and daemon.process.poll() is not None:
            raise RuntimeError(f"postgres exited:\n{daemon.log_tail()}")
        try:
            with psycopg.connect(pg_dsn(daemon.port, "postgres"), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"postgres not ready:\n{daemon.log_tail()}") from None
            time.sleep(0.2)


@contextmanager
def private_redis(work: Path) -> Iterator[Daemon]:
    """A ``redis-server`` on a free loopback port without persistence (a crash loses its keys)."""
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    daemon = Daemon(
        "redis",
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", *REDIS_OPTIONS, "--dir", str(work)],
        port,
        work / "redis.log",
    )
    daemon.start()
    try:
        wait_port(daemon)
        yield daemon
    finally:
        daemon.stop()


# ---------------------------------------------------------------- the stack
def rasa_endpoints(action_url: str, pg_port: int, redis_port: int) -> str:
    """bot/endpoints.production.yml with its variables filled in."""
    return (
        f'action_endpoint:\n  url: "{action_url}/webhook"\n'
        "tracker_store:\n  type: bot.gateway_channel.TurnSummarySQLTrackerStore\n"
        f'  dialect: "postgresql"\n  url: "127.0.0.1"\n  port: {pg_port}\n  db: "rasa"\n'
        '  username: "postgres"\n  password: ""\n'
        f'lock_store:\n  type: redis\n  url: "127.0.0.1"\n  port: {redis_port}\n'
        '  db: 1\n  key_prefix: "rasa"\n'
    )


@dataclass
class FaultStack:
    work: Path
    postgres: Daemon
    redis: Daemon
    database_url: str
    servers: dict[str, ServerProcess]
    restarts: dict[str, Callable[[], ServerProcess]]

    @property
    def api_url(self) -> str:
        return self.servers["api"].url

    def kill(self, name: str) -> None:
        if name in ("postgres", "redis"):
            getattr(self, name).kill()
            return
        server = self.servers[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)

    def restart(self, name: str) -> None:
        if name == "postgres":
            self.postgres.start()
            wait_pg(self.postgres)
        elif name == "redis":
            self.redis.start()
            wait_port(self.redis)
        else:
            self.servers[name] = self.restarts[name]()


@contextmanager
def fault_stack(work: Path, zalo_url: str) -> Iterator[FaultStack]:
    """The stack; its Zalo OA API is ``zalo_url`` (the repo's fake)."""
    zalo_env = {
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET_KEY": ZALO_SECRET,
        "ZALO_ACCESS_TOKEN": "fault-bench-zalo-token",
        "ZALO_API_BASE": zalo_url,
        # The outbox sends again what could not go out; production waits 30 s, a short run cannot.
        "CHANNEL_OUTBOX_RETRY_SECONDS": "2",
    }
    with private_postgres(work, ("assistant", "rasa")) as pg, private_redis(work / "redis") as rds:
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:{pg.port}/assistant"
        redis_url = f"redis://127.0.0.1:{rds.port}/0"
        common = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, **SECRETS, **ALWAYS_OPEN}
        subprocess.run(
            [str(PYTHON), "-m", "assistant", "seed"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **common},
            check=True,
            capture_output=True,
        )
        action_port, rasa_port, api_port = free_port(), free_port(), free_port()
        servers: dict[str, ServerProcess] = {}

        def actions() -> ServerProcess:
            env = {
                **common,
                "QDRANT_PATH": str(work / "qdrant-actions"),
                "DOSSIER_BACKEND": "sql",
                # One client address, recurring demo codes: the lookup budgets would refuse the stream.
                **UNLIMITED_LOOKUPS,
            }
            command = [str(PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)]
            server = start_process(
                "action-server", command, port=action_port, env=env, log_dir=work / "actions"
            )
            server.wait_ready("/health", 240)
            return server

        rasa_dir = work / "rasa"
        rasa_dir.mkdir(parents=True, exist_ok=True)
        (rasa_dir / "endpoints.yml").write_text(
            rasa_endpoints(f"http://127.0.0.1:{action_port}", pg.port, rds.port), encoding="utf-8"
        )
        (rasa_dir / "credentials.yml").write_text(RASA_CREDENTIALS, encoding="utf-8")

        def rasa() -> ServerProcess:
            command = [str(RASA), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(rasa_port)]
            command += ["--model", str(RASA_MODEL), "--endpoints", "endpoints.yml"]
            command += ["--credentials", "credentials.yml"]
            server = start_process("rasa", command, port=rasa_port, env={}, log_dir=rasa_dir, cwd=rasa_dir)
            server.wait_ready("/status", 400)
            return server

        def api() -> ServerProcess:
            env = {
                **common,
                "QDRANT_PATH": str(work / "qdrant-api"),
                "RASA_URL": f"http://127.0.0.1:{rasa_port}",
                "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
                "RATE_LIMIT_PER_MINUTE": "10000000",
                "HEALTH_CACHE_SECONDS": "1",
                **zalo_env,
            }
            command = [str(ROOT / ".venv" / "bin" / "uvicorn"), "api.main:app", "--host", "127.0.0.1"]
            command += ["--port", str(api_port)]
            server = start_process("api", command, port=api_port, env=env, log_dir=work / "api")
            server.wait_ready("/openapi.json", 120)
            return server

        try:
            servers["action-server"] = actions()
            servers["rasa"] = rasa()
            servers["api"] = api()
            report = wait_healthy(servers["api"].url, 300)
            if report.get("status") != "up":
                raise SystemExit(f"the stack is not healthy: {report}")
            yield FaultStack(
                work, pg, rds, database_url, servers, {"action-server": actions, "rasa": rasa, "api": api}
            )
        finally:
            for server in reversed(list(servers.values())):
                server.stop()


# ---------------------------------------------------------------- the stream and the counts
@dataclass
class Phase:
    name: str
    statuses: Counter[int] = field(default_factory=Counter)
    degraded: int = 0
    sorry: int = 0
    no_reply: int = 0
    recover_s: float | None = None
    zalo_statuses: Counter[int] = field(default_factory=Counter)
    zalo_lost: int = 0

    @property
    def turns(self) -> int:
        return sum(self.statuses.values())

    @property
    def http_5xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def zalo_failed(self) -> int:
        """Webhook events refused with 5xx or unanswered (Zalo sends those again)."""
        return sum(n for status, n in self.zalo_statuses.items() if status >= 500 or status == 0)


@dataclass
class Ledger:
    """What the chat promised: tracking numbers and handoff ids, each with its conversation."""

    feedback: dict[str, str] = field(default_factory=dict)
    handoffs: dict[int, str] = field(default_factory=dict)
    # Zalo users whose message the webhook accepted (2xx): each is owed a reply through the OA API.
    zalo: dict[str, str] = field(default_factory=dict)


class Stream:
    def __init__(self, url: str, users: int, run_id: str):
        self.url = url
        self.users = users
        self.run_id = run_id
        self.phase = Phase("start")
        self.phases: list[Phase] = []
        self.ledger = Ledger()
        self._stop = asyncio.Event()
        self._count = 0

    def begin(self, name: str) -> Phase:
        self.phase = Phase(name)
        self.phases.append(self.phase)
        return self.phase

    async def turn(self, client: httpx.AsyncClient, sender: str, text: str, kind: str) -> None:
        phase = self.phase
        try:
            response = await client.post(f"{self.url}/api/v1/chat", json={"sender": sender, "text": text})
        except httpx.HTTPError:
            phase.statuses[0] += 1
            phase.no_reply += 1
            return
        phase.statuses[response.status_code] += 1
        if response.status_code >= 300:
            return
        body = response.json()
        texts = [m.get("text") or "" for m in body.get("messages", [])]
        if not any(t.strip() for t in texts):
            phase.no_reply += 1
        if body.get("mode") == "degraded":
            phase.degraded += 1
        elif any(SORRY.search(t) for t in texts):
            phase.sorry += 1
        joined = "\n".join(texts)
        if kind == "feedback":
            for number in TRACKING.findall(joined):
                self.ledger.feedback.setdefault(number, sender)
        if kind == "handoff":
            for number in HANDOFF.findall(joined):
                self.ledger.handoffs.setdefault(int(number), sender)

    async def user(self, slot: int) -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            n = slot
            while not self._stop.is_set():
                kind, script = CONVERSATIONS[n % len(CONVERSATIONS)]
                sender = f"fault-{self.run_id}-{slot}-{n}"
                n += self.users
                for text in script:
                    if self._stop.is_set():
                        return
                    await self.turn(client, sender, text, kind)

    async def zalo_user(self) -> None:
        """A Zalo citizen every ``ZALO_PAUSE`` seconds: one question, signed as Zalo signs its events."""
        async with httpx.AsyncClient(timeout=60) as client:
            n = 0
            while not self._stop.is_set():
                user = f"zf{self.run_id}{n}"
                body = zalo_event(user, ZALO_QUESTIONS[n % len(ZALO_QUESTIONS)])
                n += 1
                phase = self.phase
                try:
                    response = await client.post(
                        f"{self.url}/webhooks/zalo", content=body, headers=zalo_headers(body)
                    )
                except httpx.HTTPError:
                    phase.zalo_statuses[0] += 1
                else:
                    phase.zalo_statuses[response.status_code] += 1
                    if response.status_code < 300:
                        self.ledger.zalo[user] = phase.name
                await asyncio.sleep(ZALO_PAUSE)

    def stop(self) -> None:
        self._stop.set()


ZALO_PAUSE = 0.5


def zalo_event(user_id: str, text: str) -> bytes:
    event = {
        "app_id": ZALO_APP_ID,
        "event_name": "user_send_text",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user_id},
        "recipient": {"id": "579745863508352884"},
        "message": {"text": text, "msg_id": uuid.uuid4().hex},
    }
    return json.dumps(event, ensure_ascii=False).encode()


def zalo_headers(body: bytes) -> dict[str, str]:
    from api.signatures import zalo_signature

    signature = zalo_signature(ZALO_APP_ID, body, json.loads(body)["timestamp"], ZALO_SECRET)
    return {"X-ZEvent-Signature": f"mac={signature}", "Content-Type": "application/json"}


def zalo_recipients(platform: FakePlatform) -> set[str]:
    """The users the fake Zalo OA API accepted a message for."""
    return {
        str(r.body["recipient"].get("user_id"))
        for r in platform.sent_to(
            lambda r: isinstance(r.body, dict) and isinstance(r.body.get("recipient"), dict)
        )
    }


async def unanswered_zalo(platform: FakePlatform, owed: dict[str, str], timeout: float) -> dict[str, str]:
    """The Zalo users still without a reply once the outbox has had ``timeout`` seconds to catch up."""
    deadline = time.monotonic() + timeout
    while True:
        missing = {u: phase for u, phase in owed.items() if u not in zalo_recipients(platform)}
        if not missing or time.monotonic() > deadline:
            return missing
        await asyncio.sleep(1)


async def probe(url: str, run_id: str) -> bool:
    """One question answered by the assistant itself (not the search fallback) and no apology."""
    async with httpx.AsyncClient(timeout=30) as client:
        try:
            response = await client.post(
                f"{url}/api/v1/chat",
                json={"sender": f"probe-{run_id}-{uuid.uuid4().hex[:8]}", "text": "làm hộ chiếu mất bao lâu"},
            )
        except httpx.HTTPError:
            return False
    if response.status_code != 200:
        return False
    body = response.json()
    texts = [m.get("text") or "" for m in body.get("messages", [])]
    return body.get("mode") == "bot" and any(texts) and not any(SORRY.search(t) for t in texts)


async def recovered(url: str, run_id: str, since: float, timeout: float = 600) -> float | None:
    """Seconds from ``since`` until /health is up and a probe is answered by the assistant."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=10) as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                health = await client.get(f"{url}/health")
                if (
                    health.status_code == 200
                    and health.json().get("status") == "up"
                    and await probe(url, run_id)
                ):
                    return time.monotonic() - since
            await asyncio.sleep(0.5)
    return None


def lost_records(database_url: str, ledger: Ledger) -> tuple[list[str], list[int]]:
    """Tracking numbers and handoff ids the chat gave that the database does not hold."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = {
                row[0]: row[1]
                for row in conn.execute(text("SELECT tracking_number, sender_id FROM feedback"))
            }
            handoffs = {
                row[0]: row[1]
                for row in conn.execute(text("SELECT id, conversation_id FROM handoff_requests"))
            }
    finally:
        engine.dispose()
    lost_feedback = [n for n, sender in ledger.feedback.items() if stored.get(n) != sender]
    lost_handoffs = [i for i, sender in ledger.handoffs.items() if handoffs.get(i) != sender]
    return lost_feedback, lost_handoffs


async def run_faults(
    stack: FaultStack, zalo: FakePlatform, users: int, steady_s: float, victims: list[str]
) -> tuple[Stream, list[str], list[int]]:
    run_id = uuid.uuid4().hex[:8]
    stream = Stream(stack.api_url, users, run_id)
    stream.begin("steady")
    tasks = [asyncio.create_task(stream.user(slot)) for slot in range(users)]
    tasks.append(asyncio.create_task(stream.zalo_user()))
    try:
        await asyncio.sleep(steady_s)
        for victim in victims:
            phase = stream.begin(f"{victim} killed")
            print(f"killing {victim} (SIGKILL), starting it again", flush=True)
            since = time.monotonic()
            stack.kill(victim)
            await asyncio.sleep(1)  # the crash is noticed by the traffic before the restart
            await asyncio.to_thread(stack.restart, victim)
            phase.recover_s = await recovered(stack.api_url, run_id, since)
            print(f"  {victim}: recovered after {phase.recover_s} s", flush=True)
            await asyncio.sleep(steady_s)
    finally:
        stream.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
    missing = await unanswered_zalo(zalo, stream.ledger.zalo, timeout=60)
    for phase in stream.phases:
        phase.zalo_lost = sum(1 for name in missing.values() if name == phase.name)
    lost_feedback, lost_handoffs = lost_records(stack.database_url, stream.ledger)
    return stream, lost_feedback, lost_handoffs


def table(phases: list[Phase]) -> str:
    lines = [
        f"{'phase':<22} {'turns':>6} {'2xx':>6} {'4xx':>5} {'5xx':>5} {'no reply':>9} {'degraded':>9} "
        f"{'sorry':>6} {'recover s':>10} {'zalo ok':>8} {'zalo 5xx':>9} {'zalo lost':>10}"
    ]
    for p in phases:
        ok = sum(n for s, n in p.statuses.items() if 200 <= s < 300)
        client = sum(n for s, n in p.statuses.items() if 400 <= s < 500)
        recover = "-" if p.recover_s is None and p.name == "steady" else fmt(p.recover_s)
        zalo_ok = sum(n for s, n in p.zalo_statuses.items() if 200 <= s < 300)
        lines.append(
            f"{p.name:<22} {p.turns:>6} {ok:>6} {client:>5} {p.http_5xx:>5} {p.no_reply:>9} {p.degraded:>9} "
            f"{p.sorry:>6} {recover:>10} {zalo_ok:>8} {p.zalo_failed:>9} {p.zalo_lost:>10}"
        )
    return "\n".join(lines)


def fmt(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}"


def last_line(phases: list[Phase], lost_feedback: int) -> str:
    recoveries = [p.recover_s for p in phases if p.name != "steady"]
    known = [r for r in recoveries if r is not None]
    recover_max = "never" if len(known) < len(recoveries) else f"{max([0.0, *known]):.1f}"
    return (
        f"bench_faults lost_feedback={lost_feedback} "
        f"lost_replies={sum(p.no_reply + p.zalo_lost for p in phases)} "
        f"http_5xx={sum(p.http_5xx for p in phases)} degraded={sum(p.degraded for p in phases)} "
        f"recover_s_max={recover_max}"
    )


VICTIMS = ["rasa", "action-server", "postgres", "redis"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=2, help="citizens in the closed loop")
    parser.add_argument(
        "--steady", type=float, default=20, help="seconds of traffic before and after each kill"
    )
    parser.add_argument("--victims", default=",".join(VICTIMS), help="comma-separated, in order")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = parser.parse_args(argv)
    victims = [v for v in args.victims.split(",") if v]
    unknown = set(victims) - set(VICTIMS)
    if unknown:
        parser.error(f"unknown victims: {sorted(unknown)}")
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    zalo = fake_zalo()
    try:
        with fault_stack(work, zalo.url) as stack:
            print(
                f"stack up (work {work}); {args.users} users, {args.steady:g} s around each kill", flush=True
            )
            stream, lost_feedback, lost_handoffs = asyncio.run(
                run_faults(stack, zalo, args.users, args.steady, victims)
            )
    finally:
        zalo.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(stream.phases))
    print(
        f"feedback confirmed with a tracking number: {len(stream.ledger.feedback)}, "
        f"lost: {len(lost_feedback)} {lost_feedback or ''}"
    )
    print(
        f"handoffs confirmed: {len(stream.ledger.handoffs)}, lost: {len(lost_handoffs)} {lost_handoffs or ''}"
    )
    print(
        f"Zalo messages accepted by the webhook: {len(stream.ledger.zalo)}, "
        f"without a reply through the OA API: {sum(p.zalo_lost for p in stream.phases)}"
    )
    print(last_line(stream.phases, len(lost_feedback)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
