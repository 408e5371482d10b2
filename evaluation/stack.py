"""The whole stack on loopback, for the tests and `make bench-chat`: free ports, wait-until-ready, logs,
teardown of the action server (rasa-sdk), Rasa and the API (uvicorn), each a process of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_MODEL = ROOT / "var" / "models" / "rasa" / "assistant.tar.gz"
BASE_ENV = {
    "PYTHONPATH": str(ROOT),
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    "TOKENIZERS_PARALLELISM": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SANIC_HOST": "127.0.0.1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def wait_ready(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + path, timeout=2).status_code < 500:
                    return
            time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and its children (it runs in its own process group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_process(
    name: str, command: list[str], *, port: int, env: dict[str, str], log_dir: Path, cwd: Path = ROOT
) -> ServerProcess:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **BASE_ENV, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return ServerProcess(name, process, f"http://127.0.0.1:{port}", log_path)


UNLIMITED_LOOKUPS = {
    "LOOKUP_NETWORK_RATE_LIMIT": "10000000",
    "LOOKUP_CODE_RATE_LIMIT": "10000000",
    "SECOND_FACTOR_MAX_MISSES": "10000000",
}


def start_action_server(env: dict[str, str], log_dir: Path, timeout: float = 60) -> ServerProcess:
    """``python -m rasa_sdk --actions actions`` on a free port, ready to take /webhook requests.

    Its Qdrant folder defaults to one under ``log_dir``: never the developer's var/qdrant.
    """
    env = {"QDRANT_PATH": str(log_dir / "qdrant"), **env}
    port = free_port()
    server = start_process(
        "action-server",
        [str(PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        port=port,
        env=env,
        log_dir=log_dir,
    )
    server.wait_ready("/health", timeout)
    return server


def start_seeded_action_server(
    work: Path, database_url: str, env: dict[str, str] | None = None
) -> ServerProcess:
    """The action server of a whole stack under measurement: the seeded SQL dossiers, its own Qdrant
    folder, and the lookup budgets lifted — every conversation comes from this one address and the demo
    codes recur, so the per-network, per-code and second-factor budgets would refuse the lookups."""
    return start_action_server(
        {
            "DATABASE_URL": database_url,
            "QDRANT_PATH": str(work / "qdrant-actions"),
            "DOSSIER_BACKEND": "sql",
            **UNLIMITED_LOOKUPS,
            **(env or {}),
        },
        work / "actions",
        timeout=180,
    )


def rasa_endpoints(
    action_url: str, tracker_db: Path, lock_redis: str | None = None, *, legacy: bool = False
) -> str:
    """Endpoints as bot/endpoints.yml has them (SQLite tracker store with the turn summary for the
    gateway channel) for ``action_url``; ``lock_redis`` (``host:port/db``) adds the Redis lock store
    that replicas share. ``legacy``: Rasa's own SQL tracker store, as before issue 14."""
    store = "SQL" if legacy else "bot.gateway_channel.TurnSummarySQLTrackerStore"
    text = (
        f'action_endpoint:\n  url: "{action_url}/webhook"\n'
        f"tracker_store:\n  type: {store}\n"
        f'  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )
    if lock_redis:
        address, _, db = lock_redis.partition("/")
        host, _, port = address.partition(":")
        text += (
            f'lock_store:\n  type: redis\n  url: "{host}"\n  port: {port or 6379}\n  db: {db or 0}\n'
            f'  key_prefix: "{tracker_db.stem}"\n'
        )
    return text


# The gateway channel (what the API calls) and the REST channel (tests that talk to Rasa directly).
RASA_CREDENTIALS = "rest:\nbot.gateway_channel.GatewayInput:\n"


def launch_rasa_server(
    action_url: str,
    work_dir: Path,
    model: Path = RASA_MODEL,
    *,
    name: str = "rasa",
    port: int | None = None,
    tracker_db: Path | None = None,
    lock_redis: str | None = None,
    legacy: bool = False,
) -> ServerProcess:
    """Start ``rasa run --enable-api`` (REST and gateway channels, endpoints pointing at ``action_url``)
    without waiting: loading the model takes a while, which other work can overlap.

    Replicas get the same ``tracker_db`` and a ``lock_redis`` (see :func:`rasa_endpoints`). ``legacy``
    starts Rasa as it ran before issue 14 (REST channel only, Rasa's SQL tracker store: nothing of
    bot/gateway_channel.py loaded), for the benchmark's "before"."""
    port = port or free_port()
    work_dir.mkdir(parents=True, exist_ok=True)
    endpoints = work_dir / "endpoints.yml"
    endpoints.write_text(
        rasa_endpoints(action_url, tracker_db or work_dir / "rasa_tracker.db", lock_redis, legacy=legacy),
        encoding="utf-8",
    )
    credentials = work_dir / "credentials.yml"
    credentials.write_text("rest:\n" if legacy else RASA_CREDENTIALS, encoding="utf-8")
    command = [str(RASA), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port), "--model", str(model)]
    command += ["--endpoints", str(endpoints), "--credentials", str(credentials)]
    return start_process(name, command, port=port, env={}, log_dir=work_dir, cwd=work_dir)


def start_rasa_server(
    action_url: str, work_dir: Path, model: Path = RASA_MODEL, timeout: float = 240
) -> ServerProcess:
    server = launch_rasa_server(action_url, work_dir, model)
    server.wait_ready("/status", timeout)
    return server


def start_api_server(
    env: dict[str, str], log_dir: Path, timeout: float = 60, name: str = "api"
) -> ServerProcess:
    """``uvicorn api.main:app`` as the Procfile starts it, on a free port, accepting requests.

    Its search index is built in the background after start: wait for /health when the index is needed.
    """
    port = free_port()
    server = start_process(
        name,
        [str(ROOT / ".venv" / "bin" / "uvicorn"), "api.main:app", "--host", "127.0.0.1", "--port", str(port)],
        port=port,
        env=env,
        log_dir=log_dir,
    )
    server.wait_ready("/openapi.json", timeout)
    return server


def wait_healthy(url: str, timeout: float) -> dict[str, object]:
    """Poll /health until every component is up; returns the last report either way."""
    deadline = time.monotonic() + timeout
    report: dict[str, object] = {}
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{url}/health", timeout=10)
            report = response.json()
            if response.status_code == 200:
                return report
        except httpx.HTTPError as exc:
            report = {"error": str(exc)}
        time.sleep(0.5)
    return report


def seed_database(work: Path) -> str:
    """A SQLite database under ``work`` with the demo dossiers; its URL."""
    from assistant.database import Database
    from assistant.seed import seed
    from assistant.settings import Settings
    from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue

    database_url = f"sqlite:///{work / 'assistant.db'}"
    database = Database(database_url)
    seed(database, Settings(database_url=database_url), list(load_catalogue(DEMO_CATALOGUE).procedures))
    database.dispose()
    return database_url


@contextmanager
def own_stack(work: Path, catalogue: Path | None = None) -> Iterator[tuple[str, str]]:
    """Action server (seeded), Rasa and the API on free loopback ports, as the tests start them.

    ``catalogue`` is the catalogue both searching processes index (default: the demo catalogue); the
    demo dossiers are seeded either way. Yields the API's and Rasa's URLs.
    """
    database_url = seed_database(work)
    catalogue_env = {"CATALOGUE_FILE": str(catalogue)} if catalogue else {}
    started: list[ServerProcess] = []
    try:
        actions = start_seeded_action_server(work, database_url, catalogue_env)
        started.append(actions)
        rasa = start_rasa_server(actions.url, work, timeout=300)
        started.append(rasa)
        api = start_api_server(
            {
                "DATABASE_URL": database_url,
                "QDRANT_PATH": str(work / "qdrant-api"),
                "RASA_URL": rasa.url,
                "ACTION_SERVER_URL": actions.url,
                # One client address makes all the load here: the per-client limit would refuse it.
                "RATE_LIMIT_PER_MINUTE": "10000000",
                **catalogue_env,
            },
            work / "api",
        )
        started.append(api)
        report = wait_healthy(api.url, 300)
        if report.get("status") != "up":
            raise SystemExit(f"the stack is not healthy: {report}")
        yield api.url, rasa.url
    finally:
        for server in reversed(started):
            server.stop()
