"""Feedback tracking numbers (also under concurrency) and ratings."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.database import VN_TZ, Database, DatabaseUnavailable, utcnow
from assistant.feedback import FeedbackStore, consent_of, feedback_category


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
