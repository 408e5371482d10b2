"""Zalo OA webhook: only correctly signed events are answered, through the OA message API."""

from __future__ import annotations

import json
import time
import uuid

import httpx

from api.signatures import zalo_signature
from evaluation.platform_fakes import FakePlatform, RecordedRequest
from tests.api.conftest import ZALO_APP_ID, ZALO_SECRET, ZALO_TOKEN


def zalo_event(
    user_id: str, text: str = "đăng ký khai sinh cần giấy tờ gì", event_name: str = "user_send_text"
) -> bytes:
    event = {
        "app_id": ZALO_APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": event_name,
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user_id},
        "recipient": {"id": "579745863508352884"},
        "message": {"text": text, "msg_id": uuid.uuid4().hex},
    }
    return json.dumps(event, ensure_ascii=False).encode()


def signed_headers(body: bytes, *, prefix: str = "mac=") -> dict[str, str]:
    timestamp = json.loads(body)["timestamp"]
    signature = zalo_signature(ZALO_APP_ID, body, timestamp, ZALO_SECRET)
    return {"X-ZEvent-Signature": prefix + signature, "Content-Type": "application/json"}


def to_user(user_id: str):  # type: ignore[no-untyped-def]
    return lambda r: isinstance(r.body, dict) and r.body.get("recipient", {}).get("user_id") == user_id


def test_tin_nhan_dung_chu_ky_duoc_tra_loi_qua_api_oa(
    client: httpx.Client, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user)
    response = client.post("/webhooks/zalo", content=body, headers=signed_headers(body))
    assert response.status_code == 200
    sent = zalo_platform.wait_for(to_user(user))
    assert sent, "no reply reached the Zalo OA API"
    request: RecordedRequest = sent[0]
    assert request.path == "/v3.0/oa/message/cs"
    assert request.headers["access_token"] == ZALO_TOKEN
    # It names the citizen's message: Zalo counts it as a reply to it, not as a proactive message.
    assert request.body["recipient"] == {"user_id": user, "message_id": json.loads(body)["message"]["msg_id"]}
    assert (
        "tra cứu nhanh" in request.body["message"]["text"]
    )  # Rasa is down here: the degraded answer says so


def test_chu_ky_khong_co_tien_to_mac_cung_hop_le(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user)
    assert (
        client.post("/webhooks/zalo", content=body, headers=signed_headers(body, prefix="")).status_code
        == 200
    )
    assert zalo_platform.wait_for(to_user(user))


def test_chu_ky_gia_mao_bi_tu_choi_va_khong_gui_gi(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user)
    forged = zalo_signature(ZALO_APP_ID, body, "1732350000000", "not-the-secret")
    response = client.post("/webhooks/zalo", content=body, headers={"X-ZEvent-Signature": f"mac={forged}"})
    assert response.status_code == 401
    tampered = body.replace(b"khai sinh", "kết hôn".encode())
    response = client.post("/webhooks/zalo", content=tampered, headers=signed_headers(body))
    assert response.status_code == 401
    assert not zalo_platform.wait_for(to_user(user), timeout=1.0)


def test_thieu_chu_ky_bi_tu_choi(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    response = client.post("/webhooks/zalo", content=zalo_event(user))
    assert response.status_code == 401
    assert not zalo_platform.wait_for(to_user(user), timeout=1.0)


def test_tin_nhan_hinh_anh_duoc_tra_loi_lich_su(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user, text="", event_name="user_send_image")
    assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    sent = zalo_platform.wait_for(to_user(user))
    assert sent and "tin nhắn dạng chữ" in sent[0].body["message"]["text"]


def test_su_kien_cua_chinh_oa_khong_duoc_tra_loi(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user, event_name="oa_send_text")
    response = client.post("/webhooks/zalo", content=body, headers=signed_headers(body))
    assert response.json()["status"] == "ignored"
    assert not zalo_platform.wait_for(to_user(user), timeout=1.0)


def test_gui_lai_cung_msg_id_chi_tra_loi_mot_lan(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    body = zalo_event(user)
    assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    one_answer = zalo_platform.settled_count(to_user(user))
    assert one_answer >= 1
    for _ in range(2):
        assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    assert zalo_platform.settled_count(to_user(user)) == one_answer


def test_api_oa_loi_tam_thoi_thi_gui_lai(client: httpx.Client, zalo_platform: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    zalo_platform.failures_left = 2  # the first two attempts get 503, the third goes through
    body = zalo_event(user)
    assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    sent = zalo_platform.wait_for(to_user(user), count=4)
    first_text = sent[0].body["message"]["text"]
    assert [r.body["message"]["text"] for r in sent[:3]] == [first_text] * 3  # two retries, then delivered
    assert len(sent) == 4 and sent[3].body["message"]["text"] != first_text  # the second message follows
