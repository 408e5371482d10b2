"""Theo dõi hồ sơ: đăng ký, hủy, và mỗi lần hồ sơ đổi trạng thái (ghi trong kho SQL) sinh đúng một thông báo
cho mỗi người theo dõi — trong cùng giao dịch với thay đổi."""

from __future__ import annotations

from datetime import timedelta

from assistant.database import Database, utcnow
from assistant.dossiers.notifications import NotificationQueue
from assistant.dossiers.sql_store import NewDossier, SqlDossierStore
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.subscriptions import SubscriptionStore

CODE = "H56.14-261110-0021"


def dossier(status: DossierStatus = DossierStatus.PROCESSING) -> NewDossier:
    received = utcnow() - timedelta(days=3)
    return NewDossier(
        code=CODE,
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        agency="UBND phường Hồng Hà",
        channel="trực tuyến",
        received_at=received,
        due_at=received + timedelta(days=5),
        applicant_masked="Phạm T** D**",
        phone_number="0978123456",
        history=[(DossierStatus.RECEIVED, received), (status, received + timedelta(hours=2))],
    )


def stores(database: Database) -> tuple[SqlDossierStore, SubscriptionStore, NotificationQueue]:
    return (
        SqlDossierStore(database, phone_hash_secret="s"),
        SubscriptionStore(database),
        NotificationQueue(database),
    )


def test_doi_trang_thai_sinh_mot_thong_bao_cho_moi_nguoi_theo_doi(database: Database) -> None:
    dossiers, subscriptions, queue = stores(database)
    dossiers.upsert(dossier())
    assert subscriptions.subscribe(CODE, "zalo:u1", DossierStatus.PROCESSING)
    assert subscriptions.subscribe(CODE, "messenger:p1", DossierStatus.PROCESSING)
    assert not subscriptions.subscribe(CODE, "zalo:u1", DossierStatus.PROCESSING)  # đã theo dõi rồi

    assert dossiers.change_status(CODE, DossierStatus.NEEDS_SUPPLEMENT, note="thiếu bản sao CCCD")
    claimed = queue.claim_pending()
    assert sorted(n.sender_id for n in claimed) == ["messenger:p1", "zalo:u1"]
    assert {n.status for n in claimed} == {DossierStatus.NEEDS_SUPPLEMENT}
    assert queue.claim_pending() == []  # đã có người nhận gửi

    # Ghi lại cùng trạng thái (ví dụ nhập lại dữ liệu) không sinh thêm thông báo.
    dossiers.change_status(CODE, DossierStatus.NEEDS_SUPPLEMENT)
    assert [s for s, _ in dossiers.history(CODE)][-2:] == [DossierStatus.NEEDS_SUPPLEMENT] * 2
    dossiers.upsert(dossier(DossierStatus.NEEDS_SUPPLEMENT))
    for n in claimed:
        queue.done(n.id, "sent")
    assert queue.claim_pending() == []


def test_nhap_lai_du_lieu_voi_trang_thai_moi_cung_bao(database: Database) -> None:
    dossiers, subscriptions, queue = stores(database)
    dossiers.upsert(dossier())
    subscriptions.subscribe(CODE, "web-abc", DossierStatus.PROCESSING)
    dossiers.upsert(dossier(DossierStatus.DONE))
    [notification] = queue.claim_pending()
    assert notification.status is DossierStatus.DONE and notification.dossier_code == CODE


def test_trang_thai_cuoi_la_thong_bao_cuoi_cung(database: Database) -> None:
    dossiers, subscriptions, queue = stores(database)
    dossiers.upsert(dossier())
    subscriptions.subscribe(CODE, "zalo:u1", DossierStatus.PROCESSING)
    dossiers.change_status(CODE, DossierStatus.RETURNED)
    assert len(queue.claim_pending()) == 1
    assert subscriptions.active("zalo:u1") == []  # không còn gì để báo nữa
    record = dossiers.lookup(CODE)
    assert record is not None and record.finished_at is not None


def test_huy_theo_doi_thi_khong_bao_nua_ke_ca_tin_chua_gui(database: Database) -> None:
    dossiers, subscriptions, queue = stores(database)
    dossiers.upsert(dossier())
    subscriptions.subscribe(CODE, "zalo:u1", DossierStatus.PROCESSING)
    dossiers.change_status(CODE, DossierStatus.NEEDS_PAYMENT)
    assert subscriptions.unsubscribe("zalo:u1") == [CODE]
    assert queue.claim_pending() == []  # thay đổi chưa kịp báo cũng không báo nữa
    dossiers.change_status(CODE, DossierStatus.PROCESSING)
    assert queue.claim_pending() == []
    assert subscriptions.unsubscribe("zalo:u1") == []
    # Đăng ký lại được sau khi đã hủy.
    assert subscriptions.subscribe(CODE, "zalo:u1", DossierStatus.PROCESSING)


def test_tin_bi_giu_cho_cong_dan_nhan_lai_thi_gui(database: Database) -> None:
    dossiers, subscriptions, queue = stores(database)
    dossiers.upsert(dossier())
    subscriptions.subscribe(CODE, "messenger:p1", DossierStatus.PROCESSING)
    dossiers.change_status(CODE, DossierStatus.DONE)
    [notification] = queue.claim_pending()
    queue.hold(notification.id)  # Messenger quá 24 giờ: giữ lại
    assert queue.claim_pending() == []
    assert queue.release_held("zalo:khac") == 0
    assert queue.release_held("messenger:p1") == 1
    [again] = queue.claim_pending(sender_id="messenger:p1")
    assert again.id == notification.id


def test_ho_so_khong_co_thi_khong_doi_duoc(database: Database) -> None:
    dossiers, _, _ = stores(database)
    assert dossiers.change_status("H56.14-990101-0001", DossierStatus.DONE) is False
