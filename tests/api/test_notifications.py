"""Thông báo trạng thái hồ sơ đi ra từ cổng: một tin ngắn mỗi lần đổi trạng thái, theo đúng luật của từng
nền tảng — Messenger trong 24 giờ (UPDATE), Zalo trong 48 giờ (tin phản hồi, có message_id), ngoài đó
thì giữ lại và gửi khi công dân nhắn tiếp; khung chat web hiện khi công dân quay lại."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from assistant.database import utcnow
from assistant.dossiers.sql_store import NewDossier, SqlDossierStore
from assistant.dossiers.status import DossierStatus
from assistant.tables import ConversationRow, DossierNotificationRow
from evaluation.platform_fakes import FakePlatform, graph_rules, zalo_rules
from tests.api.conftest import RunningApi, gateway_app, serve
from tests.api.test_webhooks_messenger import page_event, signed, to_psid
from tests.api.test_webhooks_zalo import signed_headers, to_user, zalo_event
from tests.assistant.dossiers.fake_igate import CODE_IN_FAKE, DOSSIERS, fake_igate


@pytest.fixture(scope="module")
def notifier(
    tmp_path_factory: pytest.TempPathFactory, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    """A gateway whose worker looks for notifications every 0.2 s (Rasa down: chats get the degraded
    answer, which is all these tests need of them)."""
    tmp = tmp_path_factory.mktemp("notifier")
    running = serve(gateway_app(tmp, zalo_platform, graph_platform, notification_interval_seconds=0.2))
    yield running
    running.stop()


def new_dossier(gateway: RunningApi) -> tuple[SqlDossierStore, str]:
    code = f"H56.14-261120-{uuid.uuid4().int % 10_000:04d}"
    received = utcnow() - timedelta(days=2)
    store = SqlDossierStore(gateway.services.domain.database, phone_hash_secret="s")
    store.upsert(
        NewDossier(
            code=code,
            procedure_code="1.001193",
            procedure_name="Đăng ký khai sinh",
            agency="UBND phường Hồng Hà",
            channel="trực tuyến",
            received_at=received,
            due_at=received + timedelta(days=5),
            applicant_masked="Nguyễn V** A**",
            phone_number="0912345678",
            history=[(DossierStatus.PROCESSING, received)],
        )
    )
    return store, code


def citizen_wrote(gateway: RunningApi, sender: str, ago: timedelta, message_ref: str | None = None) -> None:
    store = gateway.services.store
    store.begin_turn(sender, sender.partition(":")[0] or "web", "tra cứu hồ sơ")
    if message_ref:
        store.note_inbound(sender, "zalo", message_ref)
    with gateway.services.domain.database.session() as s:
        s.execute(
            sa.update(ConversationRow)
            .where(ConversationRow.sender_id == sender)
            .values(last_message_at=utcnow() - ago)
        )


def notification_states(gateway: RunningApi, sender: str) -> list[tuple[str, str | None]]:
    with gateway.services.domain.database.session() as s:
        rows = s.execute(
            sa.select(DossierNotificationRow.state, DossierNotificationRow.delivery)
            .where(DossierNotificationRow.sender_id == sender)
            .order_by(DossierNotificationRow.id)
        )
        return [(state, delivery) for state, delivery in rows]


def wait_for_states(gateway: RunningApi, sender: str, *wanted: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if [state for state, _ in notification_states(gateway, sender)] == list(wanted):
            return
        time.sleep(0.05)
    raise AssertionError(notification_states(gateway, sender))


def test_messenger_trong_24_gio_nhan_mot_tin_update(
    notifier: RunningApi, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    sender = f"messenger:{psid}"
    dossiers, code = new_dossier(notifier)
    citizen_wrote(notifier, sender, timedelta(hours=2))
    notifier.services.domain.subscriptions.subscribe(code, sender, DossierStatus.PROCESSING)
    dossiers.change_status(code, DossierStatus.NEEDS_SUPPLEMENT)

    [sent] = graph_platform.wait_for(to_psid(psid))
    assert sent.body["messaging_type"] == "UPDATE" and "tag" not in sent.body
    text = sent.body["message"]["text"]
    assert code in text and "Yêu cầu bổ sung giấy tờ" in text and "hủy theo dõi" in text
    assert "Nguyễn" not in text and "0912345678" not in text  # nothing personal
    wait_for_states(notifier, sender, "done")
    assert notification_states(notifier, sender) == [("done", "sent")]
    assert graph_platform.settled_count(to_psid(psid), quiet=0.6) == 1


def test_messenger_qua_24_gio_giu_lai_den_khi_cong_dan_nhan(
    notifier: RunningApi, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    sender = f"messenger:{psid}"
    dossiers, code = new_dossier(notifier)
    graph_rules(graph_platform).person_wrote(psid, timedelta(days=2))
    citizen_wrote(notifier, sender, timedelta(days=2))
    notifier.services.domain.subscriptions.subscribe(code, sender, DossierStatus.PROCESSING)
    dossiers.change_status(code, DossierStatus.DONE)
    wait_for_states(notifier, sender, "held")
    assert graph_platform.sent_to(to_psid(psid)) == []  # no tag allows an automated update now

    graph_rules(graph_platform).person_wrote(psid, timedelta(0))
    body = page_event(psid, {"mid": f"m-{uuid.uuid4().hex}", "text": "xin chào"})
    with notifier.client() as client:
        assert client.post("/webhooks/messenger", content=body, headers=signed(body)).status_code == 200
    wait_for_states(notifier, sender, "done")
    sent = graph_platform.sent_to(to_psid(psid))
    [notice] = [r.body for r in sent if code in r.body["message"]["text"]]
    assert sent[-1].body == notice  # after the answer to the citizen's message
    assert notice["messaging_type"] == "UPDATE"
    assert "/danh-gia/" in notice["message"]["text"]  # a finished dossier: the link to rate its handling


def test_zalo_trong_48_gio_la_tin_phan_hoi_ngoai_do_thi_cho(
    notifier: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    sender = f"zalo:{user}"
    dossiers, code = new_dossier(notifier)
    citizen_wrote(notifier, sender, timedelta(hours=30), message_ref="msg-truoc")
    notifier.services.domain.subscriptions.subscribe(code, sender, DossierStatus.PROCESSING)
    dossiers.change_status(code, DossierStatus.NEEDS_PAYMENT)
    [sent] = zalo_platform.wait_for(to_user(user))
    assert sent.body["recipient"] == {"user_id": user, "message_id": "msg-truoc"}
    assert "nghĩa vụ tài chính" in sent.body["message"]["text"]
    wait_for_states(notifier, sender, "done")

    # Three days later the window of replies is over: a proactive message is not sent, it waits.
    citizen_wrote(notifier, sender, timedelta(days=3), message_ref="msg-truoc")
    zalo_rules(zalo_platform).outside_window.add(user)
    dossiers.change_status(code, DossierStatus.PROCESSING)
    wait_for_states(notifier, sender, "done", "held")
    body = zalo_event(user, text="hồ sơ của tôi sao rồi")
    with notifier.client() as client:
        assert client.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200
    wait_for_states(notifier, sender, "done", "done")
    after = zalo_platform.sent_to(to_user(user))[1:]  # the answer to the message, then the notification
    notices = [r for r in after if code in r.body["message"]["text"]]
    assert len(notices) == 1 and "Đang xử lý" in notices[0].body["message"]["text"]
    replied_to = {r.body["recipient"].get("message_id") for r in after}
    assert len(replied_to) == 1 and replied_to != {"msg-truoc"} and None not in replied_to


def test_khung_chat_web_hien_thong_bao_khi_quay_lai(notifier: RunningApi) -> None:
    sender = f"web-{uuid.uuid4().hex[:10]}"
    dossiers, code = new_dossier(notifier)
    secret = notifier.services.store.issue_secret(sender, "web")
    assert secret is not None
    notifier.services.domain.subscriptions.subscribe(code, sender, DossierStatus.PROCESSING)
    dossiers.change_status(code, DossierStatus.RETURNED)
    wait_for_states(notifier, sender, "done")
    assert notification_states(notifier, sender) == [("done", "kept")]
    with httpx.Client(base_url=notifier.url, headers={"X-Conversation-Token": secret}) as citizen:
        [update] = citizen.get(f"/api/v1/chat/{sender}/updates").json()["updates"]
    assert update["message"]["source"] == "bot"  # the assistant's, not an operator's
    assert code in update["message"]["text"] and "thông báo cuối cùng" in update["message"]["text"]


def test_he_thong_mot_cua_duoc_hoi_lai_va_bao_mot_lan(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    """The one-stop-shop backend: the gateway's worker polls the subscribed dossier, tells the change once."""
    with fake_igate() as igate:
        original = dict(DOSSIERS[CODE_IN_FAKE]["status"])
        running = serve(
            gateway_app(
                tmp_path,
                zalo_platform,
                graph_platform,
                notification_interval_seconds=0.2,
                dossier_backend="igate",
                igate_url=igate.url,
                igate_poll_seconds=0.3,
            )
        )
        try:
            sender = f"web-{uuid.uuid4().hex[:10]}"
            running.services.domain.subscriptions.subscribe(CODE_IN_FAKE, sender, DossierStatus.PROCESSING)
            time.sleep(1)  # looked at, nothing new
            assert notification_states(running, sender) == [] and igate.requests >= 1
            DOSSIERS[CODE_IN_FAKE]["status"] = {"id": 6, "name": "Yêu cầu thực hiện nghĩa vụ tài chính"}
            wait_for_states(running, sender, "done")
            time.sleep(1)
            assert notification_states(running, sender) == [("done", "kept")]  # one change, one message
            [kept] = running.services.store.outbox_after(sender, 0)
            assert CODE_IN_FAKE in kept.text and "nghĩa vụ tài chính" in kept.text
        finally:
            DOSSIERS[CODE_IN_FAKE]["status"] = original
            running.stop()
