"""The durable outbox (security) and the platforms' windows and no-resend-after-timeout (onestop) together.

A reply is kept in the outbox when the platform is unreachable; it is not kept — and never sent again —
when the platform's window forbids it or when the send timed out (it may have been delivered). A
person's message after 24 hours on Messenger goes out tagged HUMAN_AGENT, through the outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from api.delivery import ChannelDelivery, DeliveryFailed, OutsideWindow
from api.messenger_client import MessengerClient
from api.schemas import ChatMessage
from api.telemetry import Telemetry
from assistant.channel_traffic import GIVEN_UP, ChannelOutbox
from assistant.database import utcnow
from assistant.tables import ChannelOutboxRow, ConversationRow
from evaluation.platform_fakes import FakePlatform, graph_rules
from tests.api.conftest import RunningApi


def _delivery(gateway: RunningApi, messenger: MessengerClient) -> ChannelDelivery:
    return ChannelDelivery(
        store=gateway.services.store,
        zalo=None,
        messenger=messenger,
        choices=gateway.services.choices,
        telemetry=Telemetry(),
        outbox=ChannelOutbox(gateway.services.domain.database),
    )


def _messenger(gateway: RunningApi, *, timeout_seconds: float = 5) -> MessengerClient:
    s = gateway.services.settings
    return MessengerClient(
        graph_api_base=s.graph_api_base,
        graph_api_version=s.graph_api_version,
        page_access_token=s.messenger_page_access_token,
        timeout_seconds=timeout_seconds,
        retries=1,
        backoff_seconds=0.01,
    )


@pytest.fixture
async def messenger(gateway: RunningApi) -> AsyncIterator[MessengerClient]:
    client = _messenger(gateway)
    yield client
    await client.aclose()


def _citizen_wrote(gateway: RunningApi, sender_id: str, ago: timedelta) -> None:
    gateway.services.store.begin_turn(sender_id, "messenger", "cho tôi hỏi")
    with gateway.services.domain.database.session() as s:
        s.execute(
            sa.update(ConversationRow)
            .where(ConversationRow.sender_id == sender_id)
            .values(last_message_at=utcnow() - ago)
        )


def _outbox_rows(gateway: RunningApi, sender_id: str) -> list[ChannelOutboxRow]:
    with gateway.services.domain.database.session() as s:
        rows = list(s.scalars(sa.select(ChannelOutboxRow).where(ChannelOutboxRow.sender_id == sender_id)))
        s.expunge_all()
    return rows


def _to_psid(psid: str):  # type: ignore[no-untyped-def]
    return lambda r: isinstance(r.body, dict) and r.body.get("recipient", {}).get("id") == psid


async def test_tin_cua_can_bo_sau_24h_di_qua_outbox_voi_the_human_agent(
    gateway: RunningApi, graph_platform: FakePlatform, messenger: MessengerClient
) -> None:
    psid = uuid.uuid4().hex[:16]
    sender = f"messenger:{psid}"
    graph_rules(graph_platform).person_wrote(psid, timedelta(days=3))
    _citizen_wrote(gateway, sender, timedelta(days=3))
    await _delivery(gateway, messenger).deliver(
        sender, [ChatMessage(text="Phường đã trả lời phản ánh của bạn.")], author="canbo.lan"
    )
    sent = graph_platform.wait_for(_to_psid(psid))
    assert sent[0].body["messaging_type"] == "MESSAGE_TAG" and sent[0].body["tag"] == "HUMAN_AGENT"
    headers = {k.lower(): v for k, v in sent[0].headers.items()}
    assert headers["authorization"].startswith("Bearer ")  # the token in a header, not in the URL
    assert "access_token" not in sent[0].query
    [row] = _outbox_rows(gateway, sender)
    assert row.sent_at is not None and row.author == "canbo.lan"


async def test_ngoai_cua_so_thi_khong_gui_va_khong_giu_trong_outbox(
    gateway: RunningApi, graph_platform: FakePlatform, messenger: MessengerClient
) -> None:
    psid = uuid.uuid4().hex[:16]
    sender = f"messenger:{psid}"
    _citizen_wrote(gateway, sender, timedelta(days=9))
    with pytest.raises(OutsideWindow) as refused:
        await _delivery(gateway, messenger).deliver(
            sender, [ChatMessage(text="Trả lời muộn")], author="canbo.lan"
        )
    assert "7 ngày" in refused.value.explanation and refused.value.queued is False
    assert _outbox_rows(gateway, sender) == []
    assert graph_platform.settled_count(_to_psid(psid), quiet=0.3) == 0


async def test_het_thoi_gian_cho_thi_outbox_khong_gui_lai(
    gateway: RunningApi, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    sender = f"messenger:{psid}"
    slow = _messenger(gateway, timeout_seconds=0.3)
    delivery = _delivery(gateway, slow)
    graph_platform.delay_seconds = 1.0
    try:
        with pytest.raises(DeliveryFailed) as failed:
            await delivery.deliver(sender, [ChatMessage(text="Hồ sơ của bạn đã có kết quả.")], author="bot")
    finally:
        graph_platform.delay_seconds = 0.0
    assert failed.value.queued is False
    [row] = _outbox_rows(gateway, sender)
    assert row.sent_at is None and row.attempts == GIVEN_UP and "timeout" in row.last_error
    # Even once its lease is over, the worker does not send it again.
    with gateway.services.domain.database.session() as s:
        s.execute(
            sa.update(ChannelOutboxRow)
            .where(ChannelOutboxRow.id == row.id)
            .values(next_attempt_at=utcnow() - timedelta(minutes=1))
        )
    await delivery.redeliver_due()
    await slow.aclose()
    assert graph_platform.settled_count(_to_psid(psid), quiet=0.5) == 1
