"""Messenger webhook: verification handshake, signature check, one answer per message id, Send API format."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from api.signatures import messenger_signature
from evaluation.platform_fakes import FakePlatform
from tests.api.conftest import MESSENGER_PAGE_TOKEN, MESSENGER_SECRET, MESSENGER_VERIFY


def page_event(psid: str, message: dict[str, Any]) -> bytes:
    body = {
        "object": "page",
        "entry": [
            {
                "id": "PAGE_ID",
                "time": 1732350000000,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "PAGE_ID"},
                        "timestamp": 1732350000000,
                        "message": message,
                    }
                ],
            }
        ],
    }
    return json.dumps(body, ensure_ascii=False).encode()


def signed(body: bytes) -> dict[str, str]:
    return {
        "X-Hub-Signature-256": messenger_signature(MESSENGER_SECRET, body),
        "Content-Type": "application/json",
    }


def to_psid(psid: str):  # type: ignore[no-untyped-def]
    return lambda r: isinstance(r.body, dict) and r.body.get("recipient", {}).get("id") == psid


def test_xac_minh_webhook_tra_ve_challenge(client: httpx.Client) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY, "hub.challenge": "1158201444"}
    response = client.get("/webhooks/messenger", params=params)
    assert response.status_code == 200
    assert response.text == "1158201444"


def test_xac_minh_sai_token_bi_tu_choi(client: httpx.Client) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"}
    response = client.get("/webhooks/messenger", params=params)
    assert response.status_code == 403
    assert "1158201444" not in response.text


def test_tin_nhan_dung_chu_ky_duoc_tra_loi_qua_send_api(
    client: httpx.Client, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "text": "le phi cap lai cccd bao nhieu"})
    assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    sent = graph_platform.wait_for(to_psid(psid))
    assert sent, "no reply reached the Send API"
    request = sent[0]
    assert request.path == "/v21.0/me/messages"
    assert request.headers["authorization"] == f"Bearer {MESSENGER_PAGE_TOKEN}"
    assert "access_token" not in request.query  # never in a URL: URLs are logged
    assert request.body["messaging_type"] == "RESPONSE"
    assert request.body["recipient"] == {"id": psid}
    assert request.body["message"]["text"]


def test_gui_lai_cung_mid_chi_tra_loi_mot_lan(client: httpx.Client, graph_platform: FakePlatform) -> None:
    psid = uuid.uuid4().hex[:16]
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "text": "xin chào"})
    assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    one_answer = graph_platform.settled_count(to_psid(psid))
    assert one_answer >= 1
    for _ in range(2):  # Messenger retries when it did not see our 200 in time
        assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    assert graph_platform.settled_count(to_psid(psid)) == one_answer


def test_chu_ky_gia_mao_bi_tu_choi_va_khong_gui_gi(
    client: httpx.Client, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "text": "xin chào"})
    forged = {"X-Hub-Signature-256": "sha256=" + "0" * 64}
    assert client.post("/webhooks/messenger", content=body, headers=forged).status_code == 403
    other_key = {"X-Hub-Signature-256": messenger_signature("another-app-secret", body)}
    assert client.post("/webhooks/messenger", content=body, headers=other_key).status_code == 403
    assert not graph_platform.wait_for(to_psid(psid), timeout=1.0)


def test_thieu_chu_ky_bi_tu_choi(client: httpx.Client, graph_platform: FakePlatform) -> None:
    psid = uuid.uuid4().hex[:16]
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "text": "xin chào"})
    assert client.post("/webhooks/messenger", content=body).status_code == 401
    assert not graph_platform.wait_for(to_psid(psid), timeout=1.0)


def test_tin_nhan_tu_chinh_trang_khong_duoc_tra_loi(
    client: httpx.Client, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "text": "echo", "is_echo": True})
    assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    assert not graph_platform.wait_for(to_psid(psid), timeout=1.0)


def test_tep_dinh_kem_duoc_tra_loi_lich_su(client: httpx.Client, graph_platform: FakePlatform) -> None:
    psid = uuid.uuid4().hex[:16]
    attachment = {"type": "image", "payload": {"url": "https://example.org/a.jpg"}}
    body = page_event(psid, {"mid": f"m_{uuid.uuid4().hex}", "attachments": [attachment]})
    assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    sent = graph_platform.wait_for(to_psid(psid))
    assert sent and "tin nhắn dạng chữ" in sent[0].body["message"]["text"]


def test_khach_cua_plugin_chat_co_user_ref_thay_cho_psid(
    client: httpx.Client, graph_platform: FakePlatform
) -> None:
    """Guests of the chat plugin have no PSID: Meta sends sender.user_ref, and the reply goes to it."""
    ref = f"guest-{uuid.uuid4().hex[:8]}"
    body = json.loads(page_event("x", {"mid": f"m_{uuid.uuid4().hex}", "text": "xin chào"}))
    body["entry"][0]["messaging"][0]["sender"] = {"user_ref": ref}
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert client.post("/webhooks/messenger", content=raw, headers=signed(raw)).status_code == 200
    sent = graph_platform.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient") == {"user_ref": ref}
    )
    assert sent and sent[0].body["messaging_type"] == "RESPONSE"


def test_postback_cua_khach_plugin_cung_duoc_tra_loi(
    client: httpx.Client, graph_platform: FakePlatform
) -> None:
    ref = f"guest-{uuid.uuid4().hex[:8]}"
    body = json.loads(page_event("x", {}))
    event = body["entry"][0]["messaging"][0]
    del event["message"]
    event["sender"] = {"user_ref": ref}
    event["postback"] = {"mid": f"m_{uuid.uuid4().hex}", "title": "Bắt đầu", "payload": "/greet"}
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert client.post("/webhooks/messenger", content=raw, headers=signed(raw)).status_code == 200
    assert graph_platform.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient") == {"user_ref": ref}
    )
