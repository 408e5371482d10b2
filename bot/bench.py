"""Latency of ``/model/parse`` on a real ``rasa run --enable-api`` server (bar: p95 ≤ 100 ms).

    .venv-rasa/bin/python -m bot.bench var/models/rasa/assistant.tar.gz [--requests 300]

Starts Rasa on a free loopback port, waits until the model is loaded, sends a bounded number of
citizen questions one after another (with and without diacritics), prints p50/p95/p99, stops the server.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = REPO_ROOT / "bot" / "tests" / "nlu_check.tsv"
STARTUP_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def questions() -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[1] for line in lines if "\t" in line]


def _post(url: str, text: str) -> float:
    body = json.dumps({"text": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def wait_until_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"rasa exited with code {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/status", timeout=2) as response:
                if json.load(response).get("model_file"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            pass
        time.sleep(1)
    raise RuntimeError(f"rasa was not ready within {STARTUP_TIMEOUT_S} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="p50/p95 of /model/parse on a real Rasa server")
    parser.add_argument("model", type=Path)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args(argv)
    if not args.model.is_file():
        print(f"model not found: {args.model}", file=sys.stderr)
        return 2
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rasa = Path(sys.executable).with_name("rasa")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT)}
    with tempfile.TemporaryFile() as log:
        # No endpoints file: the benchmark measures NLU only and must not touch var/rasa_tracker.db.
        command = [str(rasa), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port)]
        command += ["--model", str(args.model)]
        server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            started = time.monotonic()
            wait_until_ready(base, server)
            print(f"rasa ready in {time.monotonic() - started:.1f} s on port {port}")
            texts = questions()
            for text in texts[: args.warmup]:
                _post(f"{base}/model/parse", text)
            latencies = [_post(f"{base}/model/parse", texts[i % len(texts)]) for i in range(args.requests)]
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-3000:])
            raise
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    p50, p95, p99 = (percentile(latencies, q) for q in (50, 95, 99))
    print(
        f"/model/parse n={len(latencies)} mean={statistics.mean(latencies):.1f} ms "
        f"p50={p50:.1f} ms p95={p95:.1f} ms p99={p99:.1f} ms max={max(latencies):.1f} ms"
    )
    print(f"nlu_bench p50_ms={p50:.1f} p95_ms={p95:.1f} n={len(latencies)} bar_p95_ms=100 ok={p95 <= 100}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
