"""Fixtures of the API tests: the gateway served over real HTTP on loopback, fake platform send APIs.

``gateway`` is one app for the whole session with Rasa pointing at a closed port (so every chat goes
through the degraded path), no search model (fast start), fake Zalo and Graph servers; tests that need
real Rasa, the action server or a ready search index use the stack fixtures further down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.dependencies import Services
from api.main import create_app
from api.settings import ApiSettings
from assistant.settings import Settings
from evaluation.platform_fakes import FakePlatform, fake_graph, fake_zalo
from evaluation.stack import ServerProcess, free_port, start_api_server, wait_healthy
from search_index.settings import SearchSettings
from tests.conftest import ActionServer

ZALO_APP_ID = "zalo-app-test"
ZALO_SECRET = "zalo-oa-secret-test"
ZALO_TOKEN = "zalo-access-token-test"
MESSENGER_SECRET = "messenger-app-secret-test"
MESSENGER_VERIFY = "verify-me"
MESSENGER_PAGE_TOKEN = "page-token-test"


def closed_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass
class RunningApi:
    app: FastAPI
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services
        return services

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def serve(app: FastAPI) -> RunningApi:
    """Serve the app with uvicorn in a thread on a free loopback port; returns once it accepts requests."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    return RunningApi(app, f"http://127.0.0.1:{port}", server, thread)


def gateway_app(
    tmp: Path,
    zalo: FakePlatform,
    graph: FakePlatform,
    search: SearchSettings | None = None,
    **overrides: object,
) -> FastAPI:
    """The gateway with its database in ``tmp``, fake platforms, Rasa and the action server down and,
    unless ``search`` is given, no search model; ``overrides`` set fields of either settings model."""
    domain: dict[str, object] = {"database_url": f"sqlite:///{tmp / 'assistant.db'}", "redis_url": None}
    values: dict[str, object] = {
        "rasa_url": closed_url(),
        "action_server_url": closed_url(),
        "rasa_retries": 0,
        "rate_limit_per_minute": 100_000,
        "zalo_app_id": ZALO_APP_ID,
        "zalo_oa_secret_key": ZALO_SECRET,
        "zalo_access_token": ZALO_TOKEN,
        "zalo_api_base": zalo.url,
        "messenger_app_secret": MESSENGER_SECRET,
        "messenger_verify_token": MESSENGER_VERIFY,
        "messenger_page_access_token": MESSENGER_PAGE_TOKEN,
        "graph_api_base": graph.url,
        "graph_api_version": "v21.0",
        "channel_backoff_seconds": 0.05,
        "operator_session_secret": "operator-session-secret-test",
        "cors_origins": ["https://dichvucong.tinh-mau.gov.vn"],
    }
    for name, value in overrides.items():
        (domain if name in Settings.model_fields else values)[name] = value
    return create_app(
        ApiSettings(**values),  # type: ignore[arg-type]
        Settings(**domain),  # type: ignore[arg-type]
        search or modelless_search(tmp),
    )


def modelless_search(tmp: Path) -> SearchSettings:
    """Search settings whose model does not exist: the index never becomes ready (fast start)."""
    return SearchSettings(QDRANT_PATH=tmp / "qdrant", EMBEDDING_MODEL_DIR=tmp / "no-model")  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def zalo_platform() -> Iterator[FakePlatform]:
    fake = fake_zalo()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def graph_platform() -> Iterator[FakePlatform]:
    fake = fake_graph()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def gateway(
    tmp_path_factory: pytest.TempPathFactory, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    tmp = tmp_path_factory.mktemp("gateway")
    running = serve(gateway_app(tmp, zalo_platform, graph_platform))
    yield running
    running.stop()


@pytest.fixture
def client(gateway: RunningApi) -> Iterator[httpx.Client]:
    with gateway.client() as c:
        yield c


@pytest.fixture(scope="session")
def search_gateway(
    tmp_path_factory: pytest.TempPathFactory, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    """A gateway whose search index is built and ready (the demo catalogue, the real model); Rasa is down,
    so chats are answered by the degraded, search-only path."""
    tmp = tmp_path_factory.mktemp("search-gateway")
    search = SearchSettings(QDRANT_PATH=tmp / "qdrant")  # type: ignore[call-arg]
    running = serve(gateway_app(tmp, zalo_platform, graph_platform, search))
    if not running.services.search.wait_ready(300):
        running.stop()
        pytest.fail(f"search index not ready: {running.services.search.status[1]}")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def api_stack(
    action_server: ActionServer, rasa_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The whole assistant as `make run` starts it: Rasa, the action server and the API (a uvicorn process),
    sharing the action server's seeded database; every component up."""
    tmp = tmp_path_factory.mktemp("api-stack")
    env = {
        "DATABASE_URL": action_server.database_url,
        "QDRANT_PATH": str(tmp / "qdrant"),
        "RASA_URL": rasa_server.url,
        "ACTION_SERVER_URL": action_server.url,
        "RATE_LIMIT_PER_MINUTE": "100000",
        "OPERATOR_SESSION_SECRET": "stack-secret",
    }
    server = start_api_server(env, tmp)
    report = wait_healthy(server.url, 300)
    if report.get("status") != "up":
        server.stop()
        pytest.fail(f"the stack is not healthy: {report}\n{server.log_tail()}")
    yield server
    server.stop()
