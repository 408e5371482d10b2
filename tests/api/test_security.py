"""Attack tests of the gateway (issue 13's findings), each through the real app served over HTTP.

Client addresses are given with X-Forwarded-For, which uvicorn trusts from 127.0.0.1 (a reverse proxy's
address): the gateway then sees the client as it would behind the province's proxy."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import anyio
import httpx
import pytest
import sqlalchemy as sa

from api.auth import COOKIE_NAME
from api.rasa_client import RasaClient, RasaUnavailable
from api.signatures import zalo_signature
from assistant.channel_traffic import ChannelOutbox, InboundEvent, InboundLog
from assistant.database import utcnow
from assistant.dossiers.sql_store import NewDossier, SqlDossierStore
from assistant.dossiers.status import DossierStatus
from assistant.feedback import FeedbackStatus
from assistant.operators import Role
from assistant.tables import ChannelOutboxRow, InboundEventRow, OperatorRow
from evaluation.platform_fakes import FakePlatform
from evaluation.stack import BASE_ENV, ROOT, free_port
from tests.api.conftest import MESSENGER_PAGE_TOKEN, ZALO_APP_ID, ZALO_SECRET, RunningApi, gateway_app, serve
from tests.api.test_operator import PASSWORD, add_operator, logged_in
from tests.api.test_webhooks_messenger import page_event, signed, to_psid
from tests.api.test_webhooks_zalo import signed_headers, to_user, zalo_event

CODE = "H56.14-261020-0888"


def random_code() -> str:
    return f"H56.14-2401{uuid.uuid4().int % 28 + 1:02d}-{uuid.uuid4().int % 10000:04d}"


def seed_dossier(running: RunningApi) -> None:
    domain = running.services.domain
    store = SqlDossierStore(domain.database, phone_hash_secret=domain.settings.phone_hash_secret)
    received = utcnow() - timedelta(days=2)
    store.upsert(
        NewDossier(
            code=CODE,
            procedure_code="1.001193",
            procedure_name="Đăng ký khai sinh",
            agency="UBND phường Bến Thành",
            channel="trực tuyến",
            received_at=received,
            due_at=received + timedelta(days=5),
            applicant_masked="Nguyễn V** A**",
            phone_number="0912345678",
            history=[(DossierStatus.RECEIVED, received)],
        )
    )


@pytest.fixture
def strict_api(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    app = gateway_app(
        tmp_path,
        zalo_platform,
        graph_platform,
        lookup_rate_limit=100,
        lookup_network_rate_limit=3,
        lookup_code_rate_limit=4,
        second_factor_max_misses=2,
    )
    running = serve(app)
    seed_dossier(running)
    yield running
    running.stop()


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


# ------------------------------------------------------------------ 1. enumeration of dossier lookups
def test_rest_lookups_from_rotating_ipv6_addresses_of_one_64_are_refused(strict_api: RunningApi) -> None:
    with strict_api.client() as client:
        codes = [
            client.get(
                f"/api/v1/dossiers/{random_code()}", headers=from_address(f"2001:db8:7:7::{n:x}")
            ).status_code
            for n in range(1, 8)
        ]
        assert codes[:3] == [404] * 3 and codes[3:] == [429] * 4
        other = client.get(f"/api/v1/dossiers/{random_code()}", headers=from_address("2001:db8:7:8::1"))
        assert other.status_code == 404


def test_rest_one_code_from_many_networks_is_refused_after_its_budget(strict_api: RunningApi) -> None:
    with strict_api.client() as client:
        codes = [
            client.get(f"/api/v1/dossiers/{CODE}", headers=from_address(f"198.51.100.{n}")).status_code
            for n in range(6)
        ]
    assert codes == [200] * 4 + [429] * 2


def test_rest_second_factor_is_locked_after_wrong_guesses(strict_api: RunningApi) -> None:
    with strict_api.client() as client:
        for n, guess in enumerate(["0000", "1111"]):
            wrong = client.get(
                f"/api/v1/dossiers/{CODE}",
                params={"phone_last4": guess},
                headers=from_address(f"192.0.2.{n}"),
            ).json()
            assert wrong["verified"] is False
        right = client.get(
            f"/api/v1/dossiers/{CODE}", params={"phone_last4": "5678"}, headers=from_address("192.0.2.9")
        ).json()
    assert right["verified"] is False and right["applicant"] is None
    assert "nhập sai nhiều lần" in right["message"]


def test_rest_feedback_digits_lock_and_number_budget_as_a_dossiers_do(strict_api: RunningApi) -> None:
    # Merge of onestop: GET /api/v1/feedback/{number} (answer behind the phone's last 4 digits) under the
    # same guard as dossiers: per network and per number, digits locked after too many misses.
    feedback = strict_api.services.domain.feedback
    number = feedback.submit(
        content="Cán bộ hẹn sai ngày",
        category="phản ánh",
        contact="0912345678",
        consent=True,
        channel="web",
        sender_id="web-bao-mat",
    ).tracking_number
    feedback.update(number, operator="canbo.lan", status=FeedbackStatus.ANSWERED, answer="Đã xử lý.")
    with strict_api.client() as client:
        for n, guess in enumerate(["0000", "1111"]):
            wrong = client.get(
                f"/api/v1/feedback/{number}",
                params={"phone_last4": guess},
                headers=from_address(f"192.0.2.{n}"),
            ).json()
            assert wrong["answer"] is None
        right = client.get(
            f"/api/v1/feedback/{number}", params={"phone_last4": "5678"}, headers=from_address("192.0.2.9")
        ).json()
        assert right["answer"] is None and "nhập sai nhiều lần" in right["message"]
        more = [
            client.get(f"/api/v1/feedback/{number}", headers=from_address(f"198.51.100.{n}")).status_code
            for n in range(2)
        ]
    assert more == [200, 429]  # 4 lookups of this number per window


def test_chat_tells_the_actions_the_client_network(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    rasa_answer = {"messages": [{"recipient_id": "x", "text": "Dạ, tôi tra cứu giúp bạn."}], "turn": None}
    rasa = FakePlatform(rasa_answer)
    try:
        running = serve(gateway_app(tmp_path, zalo_platform, graph_platform, rasa_url=rasa.url))
        try:
            with running.client() as client:
                for n in (1, 2):
                    sender = f"web-{uuid.uuid4().hex}"  # a new sender id each time: the network stays
                    answer = client.post(
                        "/api/v1/chat",
                        json={"sender": sender, "text": f"tra cứu hồ sơ {random_code()}"},
                        headers=from_address(f"2001:db8:9:9::{n}"),
                    )
                    assert answer.status_code == 200
        finally:
            running.stop()
        sent = rasa.sent_to(lambda r: r.path == "/webhooks/gateway/webhook")
        assert [r.body["metadata"] for r in sent] == [
            {"channel": "web", "client_network": "2001:db8:9:9::/64"}
        ] * 2
    finally:
        rasa.close()


# ------------------------------------------------------------------ 2. secrets in the logs
def test_no_channel_or_rasa_token_in_the_logs_at_info(
    caplog: pytest.LogCaptureFixture, client: httpx.Client, graph_platform: FakePlatform
) -> None:
    caplog.set_level(logging.INFO)
    psid = uuid.uuid4().hex[:16]
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "text": "xin chào"})
    assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    assert graph_platform.wait_for(to_psid(psid))

    rasa_token = f"rasa-token-{uuid.uuid4().hex}"
    fake = FakePlatform({})
    rasa = RasaClient(fake.url, timeout_seconds=2, retries=0, token=rasa_token)

    async def ask_status() -> None:
        # The fake answers 501 to GET: the URL was requested (and logged) all the same.
        with contextlib.suppress(RasaUnavailable):
            await rasa.status()
        await rasa.aclose()

    anyio.run(ask_status)
    fake.close()
    assert "HTTP Request" in caplog.text  # httpx did log the requests, at INFO
    assert MESSENGER_PAGE_TOKEN not in caplog.text
    assert rasa_token not in caplog.text and "token=[đã ẩn]" in caplog.text


# ------------------------------------------------------------------ 3. take-over and hand-back ownership
@pytest.fixture(scope="module")
def staff(gateway: RunningApi) -> None:
    add_operator(gateway, "canbo.an", Role.OPERATOR.value)
    add_operator(gateway, "canbo.binh", Role.OPERATOR.value)
    add_operator(gateway, "quantri.chi", Role.ADMIN.value)


def citizen_conversation(client: httpx.Client) -> str:
    sender = f"web-{uuid.uuid4().hex[:12]}"
    assert (
        client.post("/api/v1/chat", json={"sender": sender, "text": "cho tôi gặp cán bộ"}).status_code == 200
    )
    return sender


def test_an_operator_cannot_take_or_hand_back_another_operators_conversation(
    gateway: RunningApi, staff: None, client: httpx.Client
) -> None:
    sender = citizen_conversation(client)
    with closing(logged_in(gateway, "canbo.an")) as an, closing(logged_in(gateway, "canbo.binh")) as binh:
        assert an.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
        stolen = binh.post(f"/operator/api/conversations/{sender}/takeover")
        assert stolen.status_code == 409 and "canbo.an" in stolen.json()["detail"]
        assert binh.post(f"/operator/api/conversations/{sender}/handback").status_code == 409
        listed = an.get("/operator/api/conversations").json()
        assert any(c["sender_id"] == sender and c["taken_by"] == "canbo.an" for c in listed)
        assert an.post(f"/operator/api/conversations/{sender}/handback").status_code == 200


def test_an_administrator_may_hand_back_a_held_conversation(
    gateway: RunningApi, staff: None, client: httpx.Client
) -> None:
    sender = citizen_conversation(client)
    with closing(logged_in(gateway, "canbo.an")) as an, closing(logged_in(gateway, "quantri.chi")) as admin:
        assert an.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
        assert admin.post(f"/operator/api/conversations/{sender}/handback").status_code == 200
        assert an.post(f"/operator/api/conversations/{sender}/reply", json={"text": "?"}).status_code == 409


# ------------------------------------------------------------------ 4. revocable console sessions
def test_a_session_replayed_after_logout_is_refused(gateway: RunningApi, staff: None) -> None:
    with closing(logged_in(gateway, "canbo.an")) as an:
        cookie = an.cookies[COOKIE_NAME]
        assert an.post("/operator/logout").status_code == 204
    with gateway.client(cookies={COOKIE_NAME: cookie}) as thief:
        assert thief.get("/operator/api/me").status_code == 401
        assert thief.post(f"/operator/api/conversations/web-{uuid.uuid4().hex}/takeover").status_code == 401


def test_removing_an_account_or_resetting_its_password_ends_its_sessions(gateway: RunningApi) -> None:
    add_operator(gateway, "canbo.tam", Role.OPERATOR.value)
    with closing(logged_in(gateway, "canbo.tam")) as tam:
        add_operator(gateway, "canbo.tam", Role.ADMIN.value)  # password (and role) reset by an administrator
        assert tam.get("/operator/api/me").status_code == 401
    with closing(logged_in(gateway, "canbo.tam")) as tam:
        assert tam.get("/operator/api/me").json()["role"] == "admin"
        env = {**os.environ, **BASE_ENV, "DATABASE_URL": gateway.services.domain.settings.database_url}
        removed = subprocess.run(
            [sys.executable, "-m", "assistant", "operators", "remove", "canbo.tam"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        assert removed.returncode == 0
        assert tam.get("/operator/api/me").status_code == 401


def test_a_role_taken_away_applies_at_the_next_request(gateway: RunningApi) -> None:
    add_operator(gateway, "quantri.tu", Role.ADMIN.value)
    with closing(logged_in(gateway, "quantri.tu")) as tu:
        assert tu.get("/operator/api/analytics").status_code == 200
        with gateway.services.domain.database.session() as s:
            s.execute(sa.update(OperatorRow).where(OperatorRow.name == "quantri.tu").values(role="operator"))
        assert tu.get("/operator/api/analytics").status_code == 403


# ------------------------------------------------------------------ 8. login throttled per account
def test_password_guessing_from_rotating_addresses_locks_the_account(gateway: RunningApi) -> None:
    add_operator(gateway, "canbo.khoa", Role.OPERATOR.value)
    max_failures = gateway.services.settings.operator_login_max_failures
    with gateway.client() as client:
        codes = [
            client.post(
                "/operator/login",
                json={"name": "canbo.khoa", "password": f"doan-mo-{n}"},
                headers=from_address(f"203.0.113.{n + 1}"),
            ).status_code
            for n in range(max_failures)
        ]
        assert codes == [401] * (max_failures - 1) + [423]  # the guess that reaches the limit locks
        right = client.post(
            "/operator/login",
            json={"name": "canbo.khoa", "password": PASSWORD},
            headers=from_address("192.0.2.77"),
        )
        assert right.status_code == 423 and "tạm khoá" in right.json()["detail"]
        assert COOKIE_NAME not in right.cookies
    with closing(logged_in(gateway, "canbo.an")) as an:  # other accounts unaffected
        assert an.get("/operator/api/me").status_code == 200


def test_login_fails_closed_without_the_database_or_redis(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    down = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    running = serve(
        gateway_app(
            tmp_path,
            zalo_platform,
            graph_platform,
            database_url=down,
            redis_url=f"redis://127.0.0.1:{free_port()}/0",
        )
    )
    try:
        with running.client() as client:
            attempt = client.post("/operator/login", json={"name": "canbo.an", "password": PASSWORD})
        assert attempt.status_code == 503 and "thử lại" in attempt.json()["detail"]
        assert COOKIE_NAME not in attempt.cookies
    finally:
        running.stop()


# ------------------------------------------------------------------ 5. the widget's poll needs the secret
def test_operator_replies_are_read_only_with_the_conversations_secret(
    gateway: RunningApi, staff: None, client: httpx.Client
) -> None:
    sender = f"web-{uuid.uuid4().hex[:12]}"
    first = client.post("/api/v1/chat", json={"sender": sender, "text": "cho tôi gặp cán bộ"}).json()
    token = first["conversation_token"]
    assert token and len(token) >= 32
    again = client.post("/api/v1/chat", json={"sender": sender, "text": "alo"}).json()
    assert again["conversation_token"] is None  # handed out once: knowing the sender id is not enough
    with closing(logged_in(gateway, "canbo.an")) as an:
        assert an.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
        assert (
            an.post(f"/operator/api/conversations/{sender}/reply", json={"text": "SĐT của bạn?"}).status_code
            == 202
        )
        an.post(f"/operator/api/conversations/{sender}/handback")
    url = f"/api/v1/chat/{sender}/updates"
    for headers in ({}, {"X-Conversation-Token": "doan-bua"}, {"X-Conversation-Token": token[:-1] + "x"}):
        refused = client.get(url, headers=headers)
        assert refused.status_code == 403 and "SĐT" not in refused.text
    assert (
        client.get(
            f"/api/v1/chat/web-{uuid.uuid4().hex}/updates", headers={"X-Conversation-Token": token}
        ).status_code
        == 403
    )
    read = client.get(url, headers={"X-Conversation-Token": token})
    assert read.status_code == 200
    assert "SĐT của bạn?" in [u["message"]["text"] for u in read.json()["updates"]]


def test_the_poll_has_a_budget_of_its_own(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    running = serve(gateway_app(tmp_path, zalo_platform, graph_platform, rate_limit_per_minute=2))
    try:
        with running.client() as client:
            token = client.post("/api/v1/chat", json={"sender": "web-poll", "text": "xin chào"}).json()[
                "conversation_token"
            ]
            codes = [
                client.get(
                    "/api/v1/chat/web-poll/updates", headers={"X-Conversation-Token": token}
                ).status_code
                for _ in range(12)
            ]
        assert codes == [200] * 10 + [429] * 2
    finally:
        running.stop()


# ------------------------------------------------------------------ 7. "xóa dữ liệu của tôi"
def test_a_citizen_deletes_their_conversation_with_its_secret(
    gateway: RunningApi, client: httpx.Client
) -> None:
    sender = f"web-{uuid.uuid4().hex[:12]}"
    token = client.post("/api/v1/chat", json={"sender": sender, "text": "số tôi 0912345678"}).json()[
        "conversation_token"
    ]
    assert gateway.services.store.history(sender)
    assert client.delete(f"/api/v1/chat/{sender}").status_code == 403  # the sender id alone deletes nothing
    assert gateway.services.store.history(sender)
    done = client.delete(f"/api/v1/chat/{sender}", headers={"X-Conversation-Token": token})
    assert done.status_code == 200 and "Đã xóa" in done.json()["detail"]
    assert gateway.services.store.history(sender) == [] and gateway.services.store.get(sender) is None


# ------------------------------------------------------------ 10. Zalo: signature first, fresh events only
def zalo_signed(event: dict[str, object] | bytes) -> tuple[bytes, dict[str, str]]:
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    timestamp = json.loads(body)["timestamp"] if not isinstance(event, bytes) else ""
    return body, {
        "X-ZEvent-Signature": "mac=" + zalo_signature(ZALO_APP_ID, body, str(timestamp), ZALO_SECRET)
    }


def test_a_deeply_nested_unsigned_body_is_refused_before_parsing(client: httpx.Client) -> None:
    deep = b"[" * 30_000 + b"]" * 30_000
    response = client.post("/webhooks/zalo", content=deep, headers={"X-ZEvent-Signature": "mac=" + "0" * 64})
    assert response.status_code == 401


def test_a_deeply_nested_signed_body_is_a_400_not_a_500(client: httpx.Client) -> None:
    timestamp = str(int(time.time() * 1000))
    deep = b'{"timestamp": "' + timestamp.encode() + b'", "x": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    signature = zalo_signature(ZALO_APP_ID, deep, timestamp, ZALO_SECRET)
    response = client.post("/webhooks/zalo", content=deep, headers={"X-ZEvent-Signature": "mac=" + signature})
    assert response.status_code == 400


def test_a_replayed_zalo_event_outside_the_window_is_refused(
    client: httpx.Client, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    event = json.loads(zalo_event(user))
    event["timestamp"] = str(int((time.time() - 2 * 3600) * 1000))  # captured two hours ago
    body, headers = zalo_signed(event)
    assert client.post("/webhooks/zalo", content=body, headers=headers).status_code == 401
    time.sleep(0.5)
    assert zalo_platform.sent_to(to_user(user)) == []
    fresh = json.loads(zalo_event(user))
    body, headers = zalo_signed(fresh)
    assert client.post("/webhooks/zalo", content=body, headers=headers).status_code == 200


# ------------------------------------------------------------------ 11. undecodable headers and cookies
def test_non_ascii_signatures_and_cookies_are_refused_not_errors(gateway: RunningApi) -> None:
    body = zalo_event("zalo-non-ascii")
    with gateway.client() as client:
        for path in ("/webhooks/zalo", "/webhooks/messenger"):
            for header in ("X-ZEvent-Signature", "X-Hub-Signature-256"):
                response = client.post(path, content=body, headers={header: "mac=é漢字".encode()})
                assert response.status_code in (401, 403), (path, header, response.text)
    cookie = f"{COOKIE_NAME}=abc.d\u00e9f".encode()
    with gateway.client() as client:
        assert client.get("/operator/api/me", headers={"Cookie": cookie}).status_code == 401
        page = client.get("/operator", headers={"Cookie": cookie}, follow_redirects=False)
        assert page.status_code == 303
        assert client.post("/operator/logout", headers={"Cookie": cookie}).status_code in (204, 403)


# ------------------------------------------------------------------ 12. security headers, console CSRF
def test_pages_carry_a_content_security_policy_and_refuse_framing(gateway: RunningApi, staff: None) -> None:
    with closing(logged_in(gateway, "canbo.an")) as an:
        pages = [an.get("/"), an.get("/operator/login"), an.get("/operator")]
        for page in pages:
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            csp = page.headers["content-security-policy"]
            assert (
                "script-src 'self'" in csp
                and "frame-ancestors 'none'" in csp
                and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
            )
            assert page.headers["x-frame-options"] == "DENY"
            assert page.headers["x-content-type-options"] == "nosniff"
            assert "<script>" not in page.text  # no inline script: the policy would block it
        api = an.get("/api/v1/procedures/search", params={"q": "khai sinh"})
        assert api.headers["x-content-type-options"] == "nosniff"


def test_console_writes_from_another_site_are_refused(
    gateway: RunningApi, staff: None, client: httpx.Client
) -> None:
    sender = citizen_conversation(client)
    evil = {"Origin": "https://tinh-mau.example.com"}
    with closing(logged_in(gateway, "canbo.an")) as an:
        host = httpx.URL(gateway.url).netloc.decode()
        forged = an.post(f"/operator/api/conversations/{sender}/takeover", headers=evil)
        assert forged.status_code == 403
        assert (
            an.post(
                f"/operator/api/conversations/{sender}/reply", json={"text": "x"}, headers=evil
            ).status_code
            == 403
        )
        assert (
            an.post("/operator/logout", headers={"Referer": "https://tinh-mau.example.com/trang"}).status_code
            == 403
        )
        own = an.post(f"/operator/api/conversations/{sender}/takeover", headers={"Origin": f"http://{host}"})
        assert own.status_code == 200
        proxied = {"Origin": "https://dvc.tinh-mau.gov.vn", "X-Forwarded-Host": "dvc.tinh-mau.gov.vn"}
        assert an.post(f"/operator/api/conversations/{sender}/takeover", headers=proxied).status_code == 200
        an.post(f"/operator/api/conversations/{sender}/handback")
    login = client.post("/operator/login", json={"name": "canbo.an", "password": PASSWORD}, headers=evil)
    assert login.status_code == 403 and COOKIE_NAME not in login.cookies


# ------------------------------------------------------------------ 14. invisible characters, NUL
@pytest.mark.postgres
def test_invisible_and_nul_characters_never_reach_the_database(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform, postgres_url: str
) -> None:
    running = serve(gateway_app(tmp_path, zalo_platform, graph_platform, database_url=postgres_url))
    try:
        with running.client() as client:
            empty = client.post(
                "/api/v1/chat", json={"sender": "web-zw", "text": "\u200b\u200c\u200d\ufeff\u2060"}
            )
            assert empty.status_code == 422 and "nhập nội dung" in empty.json()["detail"]
            nul = client.post(
                "/api/v1/chat", json={"sender": "web-nul", "text": "khai\x00 sinh\u200b cần gì"}
            )
            assert nul.status_code == 200 and nul.json()["mode"] == "degraded"
            assert running.services.store.history("web-nul")[0].text == "khai sinh cần gì"
            feedback = client.post(
                "/api/v1/feedback", json={"content": "đường\x00 hỏng", "contact": "0912\x00345678"}
            )
            assert feedback.status_code == 201
            assert client.post("/api/v1/feedback", json={"content": "\u200b\x00"}).status_code == 422
    finally:
        running.stop()


# ---------------------------------------------------- 15. /health cached and discreet, /metrics protected
def test_health_is_cached_and_names_no_internal_address(gateway: RunningApi, client: httpx.Client) -> None:
    before = gateway.services.health_cache.checks
    reports = [client.get("/health") for _ in range(20)]
    assert all(r.status_code == 503 for r in reports)  # Rasa and the action server are down in this app
    assert gateway.services.health_cache.checks - before <= 1
    text = reports[-1].text
    assert "127.0.0.1" not in text and "http" not in text and "/tmp" not in text and "qdrant" not in text


def test_metrics_need_the_token_from_outside(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    remote = from_address("198.51.100.20")
    local = serve(gateway_app(tmp_path / "a", zalo_platform, graph_platform))
    try:
        with local.client() as open_api:
            assert open_api.get("/metrics").status_code == 200  # loopback, no token set: the local run
            assert open_api.get("/metrics", headers=remote).status_code == 401
    finally:
        local.stop()
    running = serve(gateway_app(tmp_path / "b", zalo_platform, graph_platform, metrics_token="prom-secret"))
    try:
        with running.client() as client:
            assert client.get("/metrics").status_code == 401
            assert client.get("/metrics", headers={"Authorization": "Bearer sai"}).status_code == 401
            ok = client.get("/metrics", headers={"Authorization": "Bearer prom-secret", **remote})
            assert ok.status_code == 200 and "api_requests_total" in ok.text
    finally:
        running.stop()


# ------------------------------------------------------------------ 6. durable outbox, inbound stored first
@pytest.fixture
def durable_api(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    running = serve(
        gateway_app(
            tmp_path,
            zalo_platform,
            graph_platform,
            channel_retries=1,
            channel_outbox_retry_seconds=0.3,
            inbound_replay_after_seconds=0.5,
        )
    )
    yield running
    running.stop()


def test_a_reply_the_platform_refuses_is_kept_and_sent_when_it_answers_again(
    durable_api: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user, text="lệ phí khai sinh")
    zalo_platform.failures_left = 4  # the first attempt and its retry, then the worker's first try fail
    with durable_api.client() as client:
        assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    sent = zalo_platform.wait_for(lambda r: to_user(user)(r) and zalo_platform.failures_left == 0, timeout=20)
    assert sent
    deadline = time.monotonic() + 10
    while durable_api.services.delivery._outbox.unsent() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert durable_api.services.delivery._outbox.unsent() == 0  # 0 replies lost


def test_events_and_replies_left_by_a_stopped_process_are_finished_by_the_next(
    durable_api: RunningApi, zalo_platform: FakePlatform
) -> None:
    # What a process that stopped right after its 200 leaves behind: an event stored but not answered,
    # and a reply written to the outbox but never sent.
    database = durable_api.services.domain.database
    unanswered, unsent = f"zalo-{uuid.uuid4().hex[:8]}", f"zalo-{uuid.uuid4().hex[:8]}"
    InboundLog(database).record(InboundEvent(f"zalo:{uuid.uuid4().hex}", f"zalo:{unanswered}", "welcome", ""))
    ChannelOutbox(database, lease_seconds=0).enqueue(
        f"zalo:{unsent}", json.dumps([{"text": "Hồ sơ của bạn đã có kết quả."}]), "bot"
    )
    with database.session() as s:
        s.execute(sa.update(InboundEventRow).values(claimed_at=utcnow() - timedelta(minutes=10)))
    assert zalo_platform.wait_for(to_user(unanswered), timeout=15)
    assert zalo_platform.wait_for(to_user(unsent), timeout=15)

    def undone() -> int:
        with database.session() as s:
            return int(s.scalar(sa.select(sa.func.count()).where(InboundEventRow.done_at.is_(None))) or 0)

    deadline = time.monotonic() + 10
    while undone() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert undone() == 0


def test_a_platform_retry_after_a_restart_is_still_a_duplicate(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user, text="xin chào")
    answered = []
    for _ in range(2):  # two processes one after the other (in-memory de-dup emptied by the restart)
        running = serve(gateway_app(tmp_path, zalo_platform, graph_platform))
        try:
            with running.client() as client:
                assert (
                    client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code
                    == 200
                )
            zalo_platform.wait_for(to_user(user))
            time.sleep(0.5)
            answered.append(len(zalo_platform.sent_to(to_user(user))))
        finally:
            running.stop()
    assert answered[0] >= 1 and answered[1] == answered[0]  # the second process answered nothing more


def test_answered_events_and_sent_replies_keep_no_text(
    durable_api: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user, text="CCCD của tôi 079012345678")
    with durable_api.client() as client:
        assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    assert zalo_platform.wait_for(to_user(user))
    database = durable_api.services.domain.database
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with database.session() as s:
            texts = s.scalars(
                sa.select(InboundEventRow.text).where(InboundEventRow.sender_id == f"zalo:{user}")
            ).all()
            payloads = s.scalars(
                sa.select(ChannelOutboxRow.payload).where(ChannelOutboxRow.sender_id == f"zalo:{user}")
            ).all()
        if texts == [""] and payloads and set(payloads) == {"[]"}:
            break
        time.sleep(0.1)
    assert texts == [""] and payloads and set(payloads) == {"[]"}
