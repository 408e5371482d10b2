"""Operator console: accounts from the CLI, login, roles, expiry, take-over and replies into the channel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.auth import COOKIE_NAME, SessionSigner
from assistant.operators import OperatorAccounts, Role
from evaluation.platform_fakes import FakePlatform
from evaluation.stack import BASE_ENV, ROOT
from tests.api.conftest import RunningApi, gateway_app, serve
from tests.api.test_webhooks_zalo import signed_headers, to_user, zalo_event

PASSWORD = "mat-khau-dai-1"


def add_operator(gateway: RunningApi, name: str, role: str) -> None:
    """Through the real command line, as an administrator would."""
    env = {**os.environ, **BASE_ENV, "DATABASE_URL": gateway.services.domain.settings.database_url}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "operators", "add", name, "--role", role, "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def accounts(gateway: RunningApi) -> None:
    add_operator(gateway, "canbo.lan", Role.OPERATOR.value)
    add_operator(gateway, "quantri.minh", Role.ADMIN.value)


def logged_in(gateway: RunningApi, name: str) -> httpx.Client:
    client = gateway.client()
    response = client.post("/operator/login", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


@pytest.fixture
def operator(gateway: RunningApi, accounts: None) -> Iterator[httpx.Client]:
    c = logged_in(gateway, "canbo.lan")
    yield c
    c.close()


@pytest.fixture
def admin(gateway: RunningApi, accounts: None) -> Iterator[httpx.Client]:
    c = logged_in(gateway, "quantri.minh")
    yield c
    c.close()


def test_sai_mat_khau_khong_dang_nhap_duoc(client: httpx.Client, accounts: None) -> None:
    response = client.post("/operator/login", json={"name": "canbo.lan", "password": "sai-mat-khau"})
    assert response.status_code == 401
    assert COOKIE_NAME not in response.cookies
    assert client.post("/operator/login", json={"name": "khong.co", "password": PASSWORD}).status_code == 401


def test_chua_dang_nhap_thi_bi_chuyen_ve_trang_dang_nhap(client: httpx.Client) -> None:
    page = client.get("/operator", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/operator/login"
    assert client.get("/operator/api/conversations").status_code == 401


def test_phien_het_han_hoac_gia_mao_bi_tu_choi(gateway: RunningApi, accounts: None) -> None:
    signer: SessionSigner = gateway.services.signer
    session_id, _ = gateway.services.accounts.open_session("canbo.lan", signer.lifetime_seconds)
    expired = signer.issue("canbo.lan", session_id, now=time.time() - signer.lifetime_seconds - 1)
    assert signer.read(expired) is None
    body, _ = signer.issue("canbo.lan", session_id).split(".")
    forged = body + "." + "A" * 43
    unknown_row = signer.issue("canbo.lan", "no-such-session")  # signed, but no session row
    other_name = signer.issue("quantri.minh", session_id)  # someone else's row
    for token in (expired, forged, body + ".", "garbage", unknown_row, other_name):
        with gateway.client(cookies={COOKIE_NAME: token}) as c:
            assert c.get("/operator/api/me").status_code == 401
    with gateway.client(cookies={COOKIE_NAME: signer.issue("canbo.lan", session_id)}) as c:
        assert c.get("/operator/api/me").status_code == 200


def test_vai_tro_can_bo_khong_xem_duoc_so_lieu(operator: httpx.Client, admin: httpx.Client) -> None:
    assert operator.get("/operator/api/me").json() == {"name": "canbo.lan", "role": "operator"}
    assert operator.get("/operator/api/analytics").status_code == 403
    stats = admin.get("/operator/api/analytics")
    assert stats.status_code == 200
    assert {"top_procedures", "unanswered", "ratings_by_day", "handoff_requests"} <= set(stats.json())


def test_trang_dieu_khien_hien_ten_can_bo(operator: httpx.Client) -> None:
    page = operator.get("/operator")
    assert page.status_code == 200 and "canbo.lan" in page.text
    assert 'id="analytics"' not in page.text  # analytics are for administrators


def test_nhan_hoi_thoai_web_tra_loi_qua_widget_roi_tra_lai(
    operator: httpx.Client, client: httpx.Client
) -> None:
    sender = f"web-{uuid.uuid4().hex[:10]}"
    first = client.post("/api/v1/chat", json={"sender": sender, "text": "tôi muốn gặp cán bộ"})
    assert first.status_code == 200
    secret = {"X-Conversation-Token": first.json()["conversation_token"]}

    taken = operator.post(f"/operator/api/conversations/{sender}/takeover")
    assert taken.status_code == 200 and taken.json()["taken_by"] == "canbo.lan"
    listed = operator.get("/operator/api/conversations").json()
    assert any(c["sender_id"] == sender and c["state"] == "taken" for c in listed)

    # While the operator answers, the citizen's messages are not sent to the assistant.
    during = client.post("/api/v1/chat", json={"sender": sender, "text": "hồ sơ của tôi bị trả lại"}).json()
    assert during == {"sender": sender, "messages": [], "mode": "operator", "conversation_token": None}
    assert operator.post(
        f"/operator/api/conversations/{sender}/reply", json={"text": "Chào bạn, mình là Lan."}
    )

    updates = client.get(f"/api/v1/chat/{sender}/updates", headers=secret).json()
    texts = [u["message"]["text"] for u in updates["updates"]]
    assert texts[-1] == "Chào bạn, mình là Lan." and updates["operator_active"] is True
    later = client.get(
        f"/api/v1/chat/{sender}/updates", params={"after": updates["updates"][-1]["id"]}, headers=secret
    ).json()
    assert later["updates"] == []

    history = operator.get(f"/operator/api/conversations/{sender}/history").json()
    assert [h["author"] for h in history][:2] == ["citizen", "search"]
    assert any(h["text"] == "hồ sơ của tôi bị trả lại" for h in history)

    assert operator.post(f"/operator/api/conversations/{sender}/handback").status_code == 200
    after = client.post("/api/v1/chat", json={"sender": sender, "text": "cảm ơn"}).json()
    assert after["mode"] == "degraded"  # back to the assistant (Rasa is down in this app)


def test_tra_loi_vao_zalo_qua_api_oa(
    operator: httpx.Client, client: httpx.Client, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user, text="cho tôi gặp người thật")
    assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    zalo_platform.wait_for(to_user(user))
    sender = f"zalo:{user}"
    assert operator.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
    reply = operator.post(f"/operator/api/conversations/{sender}/reply", json={"text": "Cán bộ xin nghe ạ."})
    assert reply.status_code == 202
    sent = zalo_platform.wait_for(
        lambda r: to_user(user)(r) and r.body["message"]["text"] == "Cán bộ xin nghe ạ."
    )
    assert sent and sent[0].headers["access_token"]
    # Within 48 hours of the citizen's message a person's reply names it too: a reply, not proactive.
    assert sent[0].body["recipient"]["message_id"] == json.loads(body)["message"]["msg_id"]


def test_khong_tra_loi_khi_chua_nhan_hoi_thoai(operator: httpx.Client, client: httpx.Client) -> None:
    sender = f"web-{uuid.uuid4().hex[:10]}"
    client.post("/api/v1/chat", json={"sender": sender, "text": "xin chào"})
    response = operator.post(f"/operator/api/conversations/{sender}/reply", json={"text": "Chào bạn"})
    assert response.status_code == 409


def test_tra_cuu_thu_tuc_cho_can_bo_can_dang_nhap(client: httpx.Client) -> None:
    assert client.get("/operator/api/procedures", params={"q": "khai sinh"}).status_code == 401


def test_can_bo_tra_cuu_ho_so_khong_bi_gioi_han_theo_dia_chi(
    operator: httpx.Client, client: httpx.Client
) -> None:
    # A whole call centre shares one address: signed-in operators are not held to the citizens' budget.
    codes = [operator.get("/operator/api/dossiers/H56.14-200102-0001").status_code for _ in range(12)]
    assert codes == [404] * 12
    assert client.get("/operator/api/dossiers/H56.14-200102-0001").status_code == 401


@pytest.fixture
def console(
    database_url: str, tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    """A gateway of its own on SQLite and on PostgreSQL, with one operator."""
    running = serve(gateway_app(tmp_path, zalo_platform, graph_platform, database_url=database_url))
    OperatorAccounts(running.services.domain.database).add("canbo.lan", PASSWORD, Role.OPERATOR)
    yield running
    running.stop()


def test_hoi_thoai_thu_150_nhan_va_tra_lai_dung_tren_bang_dieu_khien(console: RunningApi) -> None:
    handoffs = console.services.domain.handoffs
    for number in range(1, 151):
        sender = f"web-{number:03d}"
        handoffs.request(conversation_id=sender, channel="web", sender_id=sender, reason="công dân yêu cầu")
    operator = logged_in(console, "canbo.lan")
    try:
        assert operator.post("/operator/api/conversations/web-150/takeover").status_code == 200
        listed = {c["sender_id"]: c for c in operator.get("/operator/api/conversations").json()}
        assert (listed["web-150"]["state"], listed["web-150"]["taken_by"]) == ("taken", "canbo.lan")

        assert operator.post("/operator/api/conversations/web-150/handback").status_code == 200
        listed = {c["sender_id"]: c for c in operator.get("/operator/api/conversations").json()}
        assert "web-150" not in listed
        assert listed["web-149"]["state"] == "waiting"
    finally:
        operator.close()
    assert handoffs.active("web-150") is None


def test_cau_hoi_ngoai_gio_dung_dau_danh_sach_buoi_sang(console: RunningApi) -> None:
    handoffs = console.services.domain.handoffs
    handoffs.request(
        conversation_id="web-chieu", channel="web", sender_id="web-chieu", reason="công dân yêu cầu"
    )
    for sender, question in (
        ("zalo:dem-1", "hồ sơ đất bị trả lại vì sao?"),
        ("web-dem-2", "cần gặp cán bộ hộ tịch"),
    ):
        handoffs.request(
            conversation_id=sender,
            channel=sender.partition(":")[0] if ":" in sender else "web",
            sender_id=sender,
            reason="công dân yêu cầu",
            last_message=question,
            after_hours=True,
        )
    handoffs.request(
        conversation_id="web-sang", channel="web", sender_id="web-sang", reason="công dân yêu cầu"
    )
    operator = logged_in(console, "canbo.lan")
    try:
        listed = operator.get("/operator/api/conversations").json()
    finally:
        operator.close()
    assert [c["sender_id"] for c in listed] == ["zalo:dem-1", "web-dem-2", "web-sang", "web-chieu"]
    assert [c["after_hours"] for c in listed] == [True, True, False, False]
    assert listed[0]["last_message"] == "hồ sơ đất bị trả lại vì sao?"


def test_widget_biet_vi_tri_trong_hang_cho_den_khi_can_bo_nhan(console: RunningApi) -> None:
    handoffs = console.services.domain.handoffs
    for sender in ("web-truoc", "web-sau"):
        handoffs.request(conversation_id=sender, channel="web", sender_id=sender, reason="công dân yêu cầu")
    secret = console.services.store.issue_secret("web-sau", "web")  # given with the widget's first answer
    assert secret is not None
    with console.client(headers={"X-Conversation-Token": secret}) as widget:
        waiting = widget.get("/api/v1/chat/web-sau/updates").json()
        assert (waiting["queue_position"], waiting["operator_active"]) == (2, False)
        handoffs.take_over("web-truoc", "canbo.lan", channel="web")
        assert widget.get("/api/v1/chat/web-sau/updates").json()["queue_position"] == 1
        handoffs.take_over("web-sau", "canbo.lan", channel="web")
        taken = widget.get("/api/v1/chat/web-sau/updates").json()
        assert (taken["queue_position"], taken["operator_active"]) == (None, True)


def test_can_bo_danh_dau_hoi_thoai_thu_nghiem(console: RunningApi) -> None:
    from assistant.conversations import ChatEvent

    store = console.services.store
    store.begin_turn("web-demo-hoi-nghi", "web", "lệ phí khai sinh")
    store.record_event(ChatEvent(sender_id="web-demo-hoi-nghi", channel="web", text="x", intent="ask_fee"))
    operator = logged_in(console, "canbo.lan")
    try:
        marked = operator.post("/operator/api/conversations/web-demo-hoi-nghi/test", json={"is_test": True})
        unknown = operator.post("/operator/api/conversations/web-khong-co/test", json={"is_test": True})
    finally:
        operator.close()
    assert marked.status_code == 200 and unknown.status_code == 404
    assert store.intent_counts() == {}
    with console.client() as anonymous:
        assert (
            anonymous.post("/operator/api/conversations/web-demo-hoi-nghi/test", json={}).status_code == 401
        )
