"""`make run`: the processes of the local run, started and stopped together by honcho.

One Rasa server and one action server (the ``Procfile``) unless ``RASA_REPLICAS`` / ``ACTION_REPLICAS``
ask for more: then this writes ``var/run/Procfile`` with Rasa replica *i* on ``RASA_PORT`` + *i* and
action server *j* on ``ACTIONS_PORT`` + *j* (Rasa replica *i* calls action server *i* mod
``ACTION_REPLICAS``), the replicas sharing the SQLite tracker store under ``var/`` and a Redis lock store
(``REDIS_URL``, required then: two replicas must never run the same conversation at once), and the
gateway given every replica in ``RASA_URL`` / ``ACTION_SERVER_URL``; it spreads the turns across them.

``python -m api.local_run --print`` shows what would be started instead of starting it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from api.settings import ApiSettings
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = Path("var/run")


@dataclass(frozen=True)
class Ports:
    rasa: int = 5005
    actions: int = 5055
    api: int = 8000

    @classmethod
    def from_environment(cls) -> Ports:
        # The Procfile's own variables (README: "The local run also reads …").
        return cls(
            rasa=int(os.environ.get("RASA_PORT", "5005")),
            actions=int(os.environ.get("ACTIONS_PORT", "5055")),
            api=int(os.environ.get("API_PORT", "8000")),
        )


def redis_lock_store(redis_url: str) -> str:
    """Rasa's Redis lock store (endpoints YAML) on the server of ``REDIS_URL``."""
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL must be redis://… or rediss://…, not {redis_url!r}")
    db = parts.path.strip("/") or "0"
    lines = [
        "lock_store:",
        "  type: redis",
        f'  url: "{parts.hostname or "127.0.0.1"}"',
        f"  port: {parts.port or 6379}",
        f"  db: {int(db)}",
        '  key_prefix: "rasa"',
    ]
    if parts.password:
        lines.append(f'  password: "{unquote(parts.password)}"')
    if parts.scheme == "rediss":
        lines.append("  use_ssl: true")
    return "\n".join(lines) + "\n"


def replica_endpoints(action_port: int, redis_url: str) -> str:
    """bot/endpoints.yml for one replica: its action server, the shared tracker store, the Redis lock."""
    return (
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "tracker_store:\n  type: bot.gateway_channel.TurnSummarySQLTrackerStore\n"
        '  dialect: "sqlite"\n  db: "var/rasa_tracker.db"\n' + redis_lock_store(redis_url)
    )


def replicated_run(
    rasa_replicas: int, action_replicas: int, ports: Ports, model: str, redis_url: str
) -> dict[str, str]:
    """The files of a replicated local run (path → text): its Procfile and each replica's endpoints."""
    lines = []
    files: dict[str, str] = {}
    for j in range(action_replicas):
        lines.append(
            f"actions{j + 1}: env QDRANT_PATH=var/qdrant/actions{j + 1} .venv/bin/python -m rasa_sdk "
            f"--actions actions --port {ports.actions + j}"
        )
    for i in range(rasa_replicas):
        endpoints = RUN_DIR / f"endpoints-rasa{i + 1}.yml"
        files[str(endpoints)] = replica_endpoints(ports.actions + i % action_replicas, redis_url)
        lines.append(
            f"rasa{i + 1}: .venv-rasa/bin/rasa run --enable-api -i 127.0.0.1 -p {ports.rasa + i} "
            f"--model {shlex.quote(model)} --endpoints {endpoints} --credentials bot/credentials.yml"
        )
    rasa_urls = ",".join(f"http://127.0.0.1:{ports.rasa + i}" for i in range(rasa_replicas))
    action_urls = ",".join(f"http://127.0.0.1:{ports.actions + j}" for j in range(action_replicas))
    lines.append(
        f"api: env QDRANT_PATH=var/qdrant/api RASA_URL={rasa_urls} ACTION_SERVER_URL={action_urls} "
        f".venv/bin/uvicorn api.main:app --host 127.0.0.1 --port {ports.api}"
    )
    files[str(RUN_DIR / "Procfile")] = "\n".join(lines) + "\n"
    return files


def plan(settings: ApiSettings, domain: Settings, ports: Ports, model: str) -> tuple[Path, dict[str, str]]:
    """The Procfile to start and the files to write first (none for the one-process default)."""
    if settings.rasa_replicas == 1 and settings.action_replicas == 1:
        return Path("Procfile"), {}
    if not domain.redis_url:
        raise SystemExit(
            "RASA_REPLICAS/ACTION_REPLICAS > 1 need REDIS_URL: the replicas share Rasa's lock store there "
            "(e.g. REDIS_URL=redis://127.0.0.1:6379/0)."
        )
    files = replicated_run(settings.rasa_replicas, settings.action_replicas, ports, model, domain.redis_url)
    return RUN_DIR / "Procfile", files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.local_run", description=__doc__)
    parser.add_argument("--print", action="store_true", help="print the Procfile, start nothing")
    args = parser.parse_args(argv)
    model = os.environ.get("RASA_MODEL", "var/models/rasa/assistant.tar.gz")
    procfile, files = plan(ApiSettings(), Settings(), Ports.from_environment(), model)
    for path, text in files.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    if args.print:
        print(Path(procfile).read_text(encoding="utf-8"), end="")
        return 0
    honcho = str(Path(sys.executable).parent / "honcho")
    # The app root stays the repository (honcho's default would be the Procfile's folder).
    os.execv(honcho, [honcho, "-f", str(procfile), "-d", ".", "start"])


if __name__ == "__main__":
    raise SystemExit(main())
