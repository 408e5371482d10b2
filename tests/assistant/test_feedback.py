"""Feedback tracking numbers (also under concurrency), its handling to the answer, and ratings."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from assistant.database import VN_TZ, Database, DatabaseUnavailable, utcnow
from assistant.feedback import (
    Deadlines,
    Feedback,
    FeedbackNotFound,
    FeedbackStatus,
    FeedbackStore,
    InvalidTransition,
    consent_of,
    feedback_category,
    feedback_status_text,
    may_see_answer,
)
from assistant.office_hours import OfficeHours


def _submit(store: FeedbackStore, content: str = "Cán bộ tiếp nhận hồ sơ chậm, chờ 2 tiếng") -> str:
    return store.submit(
        content=content,
        category="phản ánh",
        contact="0912345678",
        consent=True,
        channel="web",
        sender_id="u1",
    ).tracking_number


def test_tracking_numbers_follow_the_day_sequence(database: Database) -> None:
    store = FeedbackStore(database)
    today = utcnow().astimezone(VN_TZ).strftime("%Y%m%d")
    first, second = _submit(store), _submit(store)
    assert first == f"PA-{today}-0001" and second == f"PA-{today}-0002"
    saved = store.get(first)
    assert saved is not None and saved.contact == "0912345678" and saved.consent and saved.channel == "web"


def test_concurrent_submissions_never_share_a_number(database: Database) -> None:
    store = FeedbackStore(database)
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda i: _submit(store, f"Phản ánh số {i} về thủ tục hộ tịch"), range(40)))
    assert len(set(numbers)) == 40
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 41))
    assert all(re.fullmatch(r"PA-\d{8}-\d{4}", n) for n in numbers)
    assert len(store.recent(100)) == 40


def test_empty_feedback_is_refused(database: Database) -> None:
    with pytest.raises(ValueError):
        _submit(FeedbackStore(database), "   ")


def test_ratings_are_kept_per_conversation(database: Database) -> None:
    store = FeedbackStore(database)
    store.rate(conversation_id="c1", channel="zalo", score=5, comment="rất nhanh")
    store.rate(conversation_id="c1", channel="zalo", score=3)
    store.rate(conversation_id="c2", channel="web", score=1)
    assert [(r.score, r.comment) for r in store.ratings("c1")] == [(5, "rất nhanh"), (3, "")]
    assert [r.score for r in store.ratings("c2")] == [1]
    with pytest.raises(ValueError):
        store.rate(conversation_id="c1", channel="web", score=6)


def test_database_down_raises_database_unavailable() -> None:
    store = FeedbackStore(Database("postgresql+psycopg://postgres@127.0.0.1:1/nowhere"))
    with pytest.raises(DatabaseUnavailable):
        _submit(store)


@pytest.mark.parametrize(
    ("content", "category"),
    [
        ("Đề nghị bố trí thêm chỗ ngồi chờ ở bộ phận một cửa", "kiến nghị"),
        ("de xuat mo them quay tiep nhan buoi chieu", "kiến nghị"),
        ("Cán bộ tiếp nhận hồ sơ chậm, chờ 2 tiếng", "phản ánh"),
    ],
)
def test_kien_nghi_khi_cong_dan_de_xuat_con_lai_la_phan_anh(content: str, category: str) -> None:
    assert feedback_category(content) == category


@pytest.mark.parametrize(
    ("answer", "consent"),
    [
        ("ok dong y cho co quan goi lai", True),
        ("Đồng ý ạ", True),
        ("vâng", True),
        ("không đồng ý", False),
        ("ko can dau", False),
        ("thôi khỏi", False),
        ("mai tính", None),
    ],
)
def test_câu_trả_lời_về_việc_cho_liên_hệ(answer: str, consent: bool | None) -> None:
    assert consent_of(answer) is consent


# ------------------------------------------------------------------ handling by the agencies
HOURS = OfficeHours.parse("1-5", "07:30-11:30,13:30-17:00", "")
DEADLINES = Deadlines(HOURS, received_days=2, processing_days=10)


def test_phan_anh_duoc_xu_ly_den_khi_tra_loi_va_luu_tung_buoc(database: Database) -> None:
    store = FeedbackStore(database)
    number = _submit(store)
    assert store.get(number).status is FeedbackStatus.RECEIVED  # type: ignore[union-attr]

    assigned = store.update(number, operator="canbo.lan", agency="UBND phường Hồng Hà")
    assert assigned.status is FeedbackStatus.RECEIVED and assigned.agency == "UBND phường Hồng Hà"
    store.update(
        number, operator="canbo.lan", status=FeedbackStatus.IN_PROGRESS, note="đã gọi cán bộ phụ trách"
    )
    answered = store.update(
        number, operator="canbo.minh", status=FeedbackStatus.ANSWERED, answer="Phường đã bố trí thêm cán bộ."
    )
    assert answered.status is FeedbackStatus.ANSWERED and answered.answer == "Phường đã bố trí thêm cán bộ."
    assert answered.answered_by == "canbo.minh" and answered.answered_at is not None

    kept = store.get(number, with_history=True)
    assert kept is not None and kept.answer == answered.answer
    assert [(e.status, e.operator) for e in kept.history] == [
        (FeedbackStatus.RECEIVED, "canbo.lan"),
        (FeedbackStatus.IN_PROGRESS, "canbo.lan"),
        (FeedbackStatus.ANSWERED, "canbo.minh"),
    ]
    assert kept.history[1].note == "đã gọi cán bộ phụ trách"
    with pytest.raises(InvalidTransition):  # closed
        store.update(number, operator="canbo.lan", status=FeedbackStatus.IN_PROGRESS)


def test_khong_tra_loi_khi_thieu_noi_dung_khong_chuyen_khi_thieu_co_quan(database: Database) -> None:
    store = FeedbackStore(database)
    number = _submit(store)
    with pytest.raises(InvalidTransition, match="nội dung trả lời"):
        store.update(number, operator="cb", status=FeedbackStatus.ANSWERED, answer="  ")
    with pytest.raises(InvalidTransition, match="tên cơ quan"):
        store.update(number, operator="cb", status=FeedbackStatus.TRANSFERRED)
    passed = store.update(
        number, operator="cb", status=FeedbackStatus.TRANSFERRED, agency="Sở Tài nguyên và Môi trường"
    )
    assert passed.status is FeedbackStatus.TRANSFERRED and passed.agency == "Sở Tài nguyên và Môi trường"
    with pytest.raises(FeedbackNotFound):
        store.update("PA-20000101-0001", operator="cb", status=FeedbackStatus.IN_PROGRESS)


def test_qua_han_theo_tung_trang_thai_tinh_ngay_lam_viec() -> None:
    friday = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 thứ Sáu giờ Việt Nam
    feedback = Feedback(
        "PA-20261127-0001", "phản ánh", "…", None, False, "web", "w", friday, status_changed_at=friday
    )
    assert DEADLINES.due_at(feedback) == datetime(2026, 12, 1, 17, 0, tzinfo=VN_TZ)  # 2 ngày làm việc
    assert not DEADLINES.overdue(feedback, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert DEADLINES.overdue(feedback, datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    handling = replace(feedback, status=FeedbackStatus.IN_PROGRESS)
    assert DEADLINES.due_at(handling) == datetime(2026, 12, 11, 17, 0, tzinfo=VN_TZ)  # 10 ngày làm việc
    assert DEADLINES.due_at(replace(feedback, status=FeedbackStatus.ANSWERED)) is None


def test_cong_dan_chi_xem_noi_dung_tra_loi_khi_dung_4_so_cuoi() -> None:
    at = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    answered = Feedback(
        "PA-20261127-0001",
        "phản ánh",
        "Cán bộ tiếp nhận chậm",
        "0912 345 678",
        True,
        "zalo",
        "zalo:42",
        at,
        status=FeedbackStatus.ANSWERED,
        status_changed_at=at,
        agency="UBND phường Hồng Hà",
        answer="Phường đã bố trí thêm cán bộ.",
        answered_at=at,
    )
    hidden = feedback_status_text(answered, answered.tracking_number, "1900")
    assert "đã trả lời ngày 27/11/2026" in hidden and "bố trí thêm" not in hidden
    assert "4 số cuối" in hidden and "0912" not in hidden
    assert not may_see_answer(answered, sender_id="zalo:42", last4=None)  # a phone was left: digits needed
    assert may_see_answer(answered, sender_id="web-khac", last4="5678")
    shown = feedback_status_text(answered, answered.tracking_number, "1900", verified=True)
    assert "Nội dung trả lời: Phường đã bố trí thêm cán bộ." in shown
    wrong = feedback_status_text(answered, answered.tracking_number, "1900", digits_given=True)
    assert "chưa khớp" in wrong and "bố trí thêm" not in wrong
    # Without a phone number, only the conversation it was sent from sees the answer.
    no_phone = replace(answered, contact=None)
    assert may_see_answer(no_phone, sender_id="zalo:42", last4=None)
    assert not may_see_answer(no_phone, sender_id="web-khac", last4="5678")
