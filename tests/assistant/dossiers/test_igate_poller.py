"""Hệ thống một cửa (iGate) không tự báo thay đổi: hồ sơ đang được theo dõi được hỏi lại theo lịch, giãn
gấp đôi mỗi lần không có gì mới hoặc hệ thống lỗi; thấy đổi trạng thái thì ghi thông báo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assistant.database import Database, utcnow
from assistant.dossiers.igate_connector import CircuitBreaker, IGateConnector
from assistant.dossiers.igate_poller import IGatePoller
from assistant.dossiers.notifications import NotificationQueue
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.subscriptions import SubscriptionStore
from assistant.tables import DossierSubscriptionRow
from tests.assistant.dossiers.fake_igate import CODE_IN_FAKE, DOSSIERS, FakeIGate, fake_igate


@pytest.fixture
def igate() -> Iterator[FakeIGate]:
    original = dict(DOSSIERS[CODE_IN_FAKE]["status"])
    with fake_igate() as fake:
        yield fake
    DOSSIERS[CODE_IN_FAKE]["status"] = original


def due_now(database: Database) -> None:
    with database.session() as session:
        session.execute(
            sa.update(DossierSubscriptionRow).values(next_check_at=utcnow() - timedelta(seconds=1))
        )


def poller_for(igate: FakeIGate, subscriptions: SubscriptionStore) -> IGatePoller:
    connector = IGateConnector(
        igate.url, timeout_seconds=1, retries=0, backoff_seconds=0, breaker=CircuitBreaker(100, 1)
    )
    return IGatePoller(connector, subscriptions, first_seconds=60, max_seconds=200)


def test_khong_doi_thi_gian_gap_doi_doi_thi_bao_va_bat_dau_lai(database: Database, igate: FakeIGate) -> None:
    subscriptions = SubscriptionStore(database, first_check_seconds=60)
    queue = NotificationQueue(database)
    subscriptions.subscribe(CODE_IN_FAKE, "zalo:u1", DossierStatus.PROCESSING)
    poller = poller_for(igate, subscriptions)

    assert poller.poll_due().looked == 0  # chưa đến hạn hỏi lần đầu
    intervals = []
    for _ in range(3):
        due_now(database)
        assert poller.poll_due().looked == 1
        intervals.append(subscriptions.active("zalo:u1")[0].check_interval_seconds)
    assert intervals == [120, 200, 200]  # gấp đôi, tới mức tối đa
    assert queue.claim_pending() == []

    DOSSIERS[CODE_IN_FAKE]["status"] = {"id": 9, "name": "Đã xử lý xong"}
    due_now(database)
    assert poller.poll_due().changed == 1
    [notification] = queue.claim_pending()
    assert (notification.sender_id, notification.status) == ("zalo:u1", DossierStatus.DONE)
    assert subscriptions.active("zalo:u1")[0].check_interval_seconds == 60
    due_now(database)
    poller.poll_due()
    assert queue.claim_pending() == []  # một thay đổi, một thông báo


def test_he_thong_loi_thi_gian_ra_khong_bao_gi(database: Database, igate: FakeIGate) -> None:
    subscriptions = SubscriptionStore(database, first_check_seconds=60)
    subscriptions.subscribe(CODE_IN_FAKE, "zalo:u1", DossierStatus.PROCESSING)
    igate.always = "500"
    due_now(database)
    report = poller_for(igate, subscriptions).poll_due()
    assert (report.failed, report.changed) == (1, 0)
    assert subscriptions.active("zalo:u1")[0].check_interval_seconds == 120
    assert NotificationQueue(database).claim_pending() == []
