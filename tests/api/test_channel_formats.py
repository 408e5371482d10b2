"""Replies rendered for each platform: Messenger quick replies, Zalo numbered choices, long texts split."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from api.channel_text import NumberedChoices, split_text, with_numbered_buttons
from api.delivery import ChannelDelivery
from api.http_retry import UpstreamError
from api.messenger_client import MAX_QUICK_REPLY_TITLE, MessengerClient, MessengerSendError
from api.schemas import Button, ChatMessage
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient, ZaloSendError
from assistant.channel_traffic import ChannelOutbox
from evaluation.platform_fakes import FakePlatform
from tests.api.conftest import RunningApi

CHOICES = [
    Button(title="Đăng ký khai sinh", payload='/inform{"procedure_code": "1.001193"}'),
    Button(title="Đăng ký khai sinh có yếu tố nước ngoài", payload='/inform{"procedure_code": "1.001695"}'),
]


@pytest.fixture
async def delivery(gateway: RunningApi) -> AsyncIterator[ChannelDelivery]:
    """The gateway's delivery set-up, with HTTP clients of this test's event loop."""
    s = gateway.services.settings
    zalo = ZaloClient(
        api_base=s.zalo_api_base,
        access_token=s.zalo_access_token,
        timeout_seconds=5,
        retries=1,
        backoff_seconds=0.05,
    )
    messenger = MessengerClient(
        graph_api_base=s.graph_api_base,
        graph_api_version=s.graph_api_version,
        page_access_token=s.messenger_page_access_token,
        timeout_seconds=5,
        retries=1,
        backoff_seconds=0.05,
    )
    yield ChannelDelivery(
        store=gateway.services.store,
        zalo=zalo,
        messenger=messenger,
        choices=gateway.services.choices,
        telemetry=Telemetry(),
        outbox=ChannelOutbox(gateway.services.domain.database),
    )
    await zalo.aclose()
    await messenger.aclose()


SHORT_CHOICES = [
    Button(title="Giấy tờ", payload="/ask_documents"),
    Button(title="Lệ phí", payload="/ask_fee"),
    Button(title="Thời gian giải quyết", payload="/ask_processing_time"),  # exactly 20 characters
]


def to_psid(psid: str):  # type: ignore[no-untyped-def]
    return lambda r: isinstance(r.body, dict) and r.body.get("recipient", {}).get("id") == psid


async def test_nut_bam_thanh_quick_replies_messenger(
    delivery: ChannelDelivery, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    message = ChatMessage(text="Bạn hỏi gì về thủ tục này?", buttons=SHORT_CHOICES)
    await delivery.deliver(f"messenger:{psid}", [message], author="bot")
    sent = graph_platform.wait_for(to_psid(psid))
    replies = sent[0].body["message"]["quick_replies"]
    assert [r["payload"] for r in replies] == [b.payload for b in SHORT_CHOICES]
    assert [r["title"] for r in replies] == [b.title for b in SHORT_CHOICES]
    assert all(r["content_type"] == "text" and len(r["title"]) <= MAX_QUICK_REPLY_TITLE for r in replies)
    assert sent[0].body["messaging_type"] == "RESPONSE"


async def test_tieu_de_qua_20_ky_tu_thanh_danh_sach_so_tren_messenger(
    gateway: RunningApi, delivery: ChannelDelivery, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    message = ChatMessage(text="Bạn hỏi thủ tục nào?", buttons=CHOICES)
    await delivery.deliver(f"messenger:{psid}", [message], author="bot")
    sent = graph_platform.wait_for(to_psid(psid))
    assert "quick_replies" not in sent[0].body["message"]  # nothing cut: every option, in full
    assert "2. Đăng ký khai sinh có yếu tố nước ngoài" in sent[0].body["message"]["text"]
    assert gateway.services.choices.resolve(f"messenger:{psid}", "2") == CHOICES[1].payload


async def test_hon_13_lua_chon_thanh_danh_sach_so_tren_messenger(
    delivery: ChannelDelivery, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    many = [Button(title=f"Phường {n}", payload=f'/inform{{"location": "{n}"}}') for n in range(1, 15)]
    await delivery.deliver(
        f"messenger:{psid}", [ChatMessage(text="Bạn ở phường nào?", buttons=many)], author="bot"
    )
    sent = graph_platform.wait_for(to_psid(psid))
    assert "quick_replies" not in sent[0].body["message"]
    assert "14. Phường 14" in sent[0].body["message"]["text"]


async def test_nen_tang_tu_choi_khi_vuot_gioi_han_nhu_tai_lieu(
    zalo_platform: FakePlatform, graph_platform: FakePlatform, gateway: RunningApi
) -> None:
    """The fakes refuse as the platforms do; the clients turn it into an error, not a silent success."""
    s = gateway.services.settings
    messenger = MessengerClient(
        graph_api_base=s.graph_api_base,
        graph_api_version=s.graph_api_version,
        page_access_token="t",
        timeout_seconds=5,
        retries=0,
        backoff_seconds=0,
    )
    too_many = [Button(title=str(n), payload=str(n)) for n in range(14)]
    with pytest.raises(ValueError):  # the client itself never sends what Graph would refuse
        await messenger.send("p", "Chọn", too_many)
    with pytest.raises(MessengerSendError) as refused:
        await messenger._send(
            {"recipient": {"id": "p"}, "messaging_type": "RESPONSE", "message": {"text": "x" * 2001}}
        )
    assert refused.value.code == 100
    zalo = ZaloClient(
        api_base=s.zalo_api_base, access_token="t", timeout_seconds=5, retries=0, backoff_seconds=0
    )
    with pytest.raises(ZaloSendError) as zalo_refused:  # HTTP 200, error != 0
        await zalo._send({"recipient": {"user_id": "u"}, "message": {"text": "x" * 2001}})
    assert zalo_refused.value.code == -201
    await messenger.aclose()
    await zalo.aclose()


async def test_het_thoi_gian_cho_thi_khong_gui_lai(gateway: RunningApi, graph_platform: FakePlatform) -> None:
    """A send that timed out may have been delivered: never sent again (the citizen would read it twice)."""
    s = gateway.services.settings
    messenger = MessengerClient(
        graph_api_base=s.graph_api_base,
        graph_api_version=s.graph_api_version,
        page_access_token="t",
        timeout_seconds=0.3,
        retries=3,
        backoff_seconds=0.01,
    )
    psid = uuid.uuid4().hex[:16]
    graph_platform.delay_seconds = 1.0
    try:
        with pytest.raises(UpstreamError):
            await messenger.send(psid, "Hồ sơ của bạn đã có kết quả.")
    finally:
        graph_platform.delay_seconds = 0.0
        await messenger.aclose()
    assert graph_platform.settled_count(to_psid(psid), quiet=0.5) == 1


async def test_nut_bam_thanh_danh_sach_so_tren_zalo(
    gateway: RunningApi, delivery: ChannelDelivery, zalo_platform: FakePlatform
) -> None:
    user = uuid.uuid4().hex[:12]
    sender = f"zalo:{user}"
    message = ChatMessage(text="Bạn hỏi thủ tục nào?", buttons=CHOICES)
    await delivery.deliver(sender, [message], author="bot")
    sent = zalo_platform.wait_for(lambda r: r.body["recipient"]["user_id"] == user)
    text = sent[0].body["message"]["text"]
    assert "1. Đăng ký khai sinh\n2. Đăng ký khai sinh có yếu tố nước ngoài" in text
    # The citizen answers "2": that means the second button.
    assert gateway.services.choices.resolve(sender, " 2 ") == CHOICES[1].payload


def test_so_khong_thuoc_lua_chon_giu_nguyen() -> None:
    choices = NumberedChoices()
    choices.remember("zalo:1", CHOICES)
    assert choices.resolve("zalo:1", "7") == "7"
    assert choices.resolve("zalo:2", "1") == "1"
    assert choices.resolve("zalo:1", "1") == CHOICES[0].payload
    assert choices.resolve("zalo:1", "1") == "1"  # a choice is used once


def test_tin_dai_duoc_cat_theo_dong() -> None:
    text = "\n".join(f"• Giấy tờ số {i}: bản chính và bản sao có chứng thực" for i in range(100))
    parts = split_text(text, 2000)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    assert "\n".join(parts) == text
    assert split_text("a" * 4500, 2000) == ["a" * 2000, "a" * 2000, "a" * 500]
    assert with_numbered_buttons("Chọn:", []) == "Chọn:"
