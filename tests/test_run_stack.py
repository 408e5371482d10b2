"""`make run` starts the whole assistant: the Procfile under honcho brings up Rasa, the action server
and the API; /health reports every component up, the widget page is served, and Ctrl-C stops all three.

Same Procfile as `make run`, with free ports and a scratch var/ so it never touches the developer's."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from evaluation.stack import BASE_ENV, ROOT, free_port, wait_healthy

pytestmark = pytest.mark.slow


def port_open(port: int) -> bool:
    with contextlib.closing(socket.socket()) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_make_run_serves_the_widget_and_reports_every_component_up(tmp_path: Path) -> None:
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "API_PORT": free_port()}
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{ports["ACTIONS_PORT"]}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp_path / "tracker.db"}"\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        **BASE_ENV,
        **{name: str(port) for name, port in ports.items()},
        "RASA_ENDPOINTS": str(endpoints),
        "RASA_URL": f"http://127.0.0.1:{ports['RASA_PORT']}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['ACTIONS_PORT']}",
        "QDRANT_PATH_ACTIONS": str(tmp_path / "qdrant-actions"),
        "QDRANT_PATH_API": str(tmp_path / "qdrant-api"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'assistant.db'}",
        "EMBEDDING_CACHE_PATH": str(tmp_path / "embeddings.sqlite"),
    }
    log = (tmp_path / "honcho.log").open("wb")
    honcho = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "honcho"), "-f", "Procfile", "start"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{ports['API_PORT']}"
    try:
        report = wait_healthy(api, timeout=300)
        output = (tmp_path / "honcho.log").read_text(encoding="utf-8", errors="replace")
        assert report.get("status") == "up", f"{report}\n{output[-4000:]}"
        components = report["components"]
        assert isinstance(components, dict)
        assert {name: c["status"] for name, c in components.items()} == {
            "rasa": "up",
            "actions": "up",
            "search_index": "up",
            "database": "up",
        }
        # honcho prefixes each process's lines with its name.
        assert all(f"{name} " in output or f"{name}." in output for name in ("rasa", "actions", "api"))

        page = httpx.get(api + "/", timeout=10)
        assert page.status_code == 200
        assert "/widget.js" in page.text
        assert httpx.get(api + "/widget.js", timeout=10).status_code == 200

        honcho.send_signal(signal.SIGINT)  # what Ctrl-C sends
        honcho.wait(timeout=60)
        assert not any(port_open(port) for port in ports.values())
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait(timeout=10)
        log.close()
