"""The chat endpoint in front of the real Rasa server and action server (the stack `make run` starts)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from evaluation.stack import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


@pytest.fixture
def api(api_stack: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_stack.url, timeout=60) as client:
        yield client


def chat(api: httpx.Client, sender: str, text: str) -> dict:  # type: ignore[type-arg]
    response = api.post("/api/v1/chat", json={"sender": sender, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def test_suc_khoe_moi_thanh_phan_deu_chay(api: httpx.Client) -> None:
    report = api.get("/health").json()
    assert report["status"] == "up"
    assert {name: c["status"] for name, c in report["components"].items()} == {
        "rasa": "up",
        "actions": "up",
        "search_index": "up",
        "database": "up",
    }


def test_hoi_giay_to_khai_sinh_qua_rasa(api: httpx.Client) -> None:
    body = chat(api, f"web-{uuid.uuid4().hex[:12]}", "đăng ký khai sinh cần giấy tờ gì")
    assert body["mode"] == "bot"
    text = "\n".join(m["text"] for m in body["messages"])
    assert "khai sinh" in text.lower()
    assert "Hồ sơ cần chuẩn bị" in text or any(m["buttons"] for m in body["messages"])


def test_khong_dau_va_viet_tat(api: httpx.Client) -> None:
    body = chat(api, f"web-{uuid.uuid4().hex[:12]}", "le phi cap doi cccd bao nhieu")
    assert body["mode"] == "bot"
    text = "\n".join(m["text"] for m in body["messages"]).lower()
    assert "căn cước" in text


def test_tra_cuu_ho_so_qua_chat(api: httpx.Client) -> None:
    body = chat(api, f"web-{uuid.uuid4().hex[:12]}", "tra cứu hồ sơ H56.14-261110-0021")
    text = "\n".join(m["text"] for m in body["messages"])
    assert "H56.14-261110-0021" in text and "Đang xử lý" in text


def test_metrics_dem_y_dinh(api: httpx.Client) -> None:
    chat(api, f"web-{uuid.uuid4().hex[:12]}", "xin chào")
    for _ in range(50):  # the intent comes with the answer (gateway channel), recorded after it went out
        metrics = api.get("/metrics").text
        if 'chat_intents_total{intent="greet"}' in metrics:
            break
    assert 'chat_intents_total{intent="greet"}' in metrics
