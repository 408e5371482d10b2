"""Conversations on SQLite and on the real PostgreSQL: state, transcript, outbox, analytics."""

from __future__ import annotations

from assistant.conversations import ChatEvent, ConversationStore
from assistant.database import Database


def test_ban_ghi_hoi_thoai_theo_thu_tu(database: Database) -> None:
    store = ConversationStore(database)
    store.begin_turn("zalo:42", "zalo", "cho tôi gặp cán bộ")
    store.begin_turn("zalo:42", "zalo", "alo")
    store.record_replies("zalo:42", "operator", ["Chào bạn"])
    assert [(h.author, h.text) for h in store.history("zalo:42")] == [
        ("citizen", "cho tôi gặp cán bộ"),
        ("citizen", "alo"),
        ("operator", "Chào bạn"),
    ]
    known = store.summaries(["zalo:42", "web-khong-co"])
    assert list(known) == ["zalo:42"]
    assert known["zalo:42"].channel == "zalo" and known["zalo:42"].last_text == "Chào bạn"
    assert store.get("web-khong-co") is None


def test_hop_thu_cho_widget_theo_thu_tu(database: Database) -> None:
    store = ConversationStore(database)
    first = store.add_outbox("web-abc", "Một", "canbo.lan")
    store.add_outbox("web-abc", "Hai", "canbo.lan")
    store.add_outbox("web-khac", "Không phải của bạn", "canbo.lan")
    assert [r.text for r in store.outbox_after("web-abc", 0)] == ["Một", "Hai"]
    assert [r.text for r in store.outbox_after("web-abc", first)] == ["Hai"]


def test_so_lieu_thu_tuc_hay_hoi_va_cau_chua_tra_loi(database: Database) -> None:
    store = ConversationStore(database)
    store.begin_turn("web-1", "web", "x")
    for code, name in [("1.001193", "Đăng ký khai sinh")] * 3 + [("2.000528", "Đăng ký kết hôn")]:
        event = ChatEvent(
            sender_id="web-1", channel="web", text="hỏi", procedure_code=code, procedure_name=name
        )
        store.record_event(event)
    miss = ChatEvent(
        sender_id="web-1", channel="web", text="con mèo nhà tôi", intent="nlu_fallback", fallback=True
    )
    store.record_event(miss)
    assert store.top_procedures() == [
        ("1.001193", "Đăng ký khai sinh", 3),
        ("2.000528", "Đăng ký kết hôn", 1),
    ]
    assert [text for text, _ in store.unanswered()] == ["con mèo nhà tôi"]
    assert store.intent_counts() == {"nlu_fallback": 1}


def test_cau_hoi_theo_ngay_va_kenh_khong_tinh_hoi_thoai_thu_nghiem(database: Database) -> None:
    from datetime import timedelta

    from assistant.database import VN_TZ, utcnow

    store = ConversationStore(database)
    for sender, channel in [
        ("web-1", "web"),
        ("web-2", "web"),
        ("zalo:7", "zalo"),
        ("messenger:9", "messenger"),
    ]:
        store.record_event(ChatEvent(sender_id=sender, channel=channel, text="lệ phí khai sinh"))
    for sender in ("eval-run1-c1", "bench-abc-0-0"):  # the evaluation tools, not citizens
        store.record_event(ChatEvent(sender_id=sender, channel="web", text="lệ phí khai sinh"))
    today = utcnow().astimezone(VN_TZ).strftime("%Y-%m-%d")
    assert store.questions_by_day() == [(today, {"web": 2, "zalo": 1, "messenger": 1})]
    assert (utcnow() - timedelta(days=1)).astimezone(VN_TZ).strftime("%Y-%m-%d") not in dict(
        store.questions_by_day()
    )


def test_hoi_thoai_danh_dau_thu_nghiem_khong_tinh_vao_bao_cao(database: Database) -> None:
    store = ConversationStore(database)
    for sender in ("web-cong-dan", "web-can-bo-thu"):
        store.begin_turn(sender, "web", "lệ phí khai sinh")
        store.record_event(
            ChatEvent(
                sender_id=sender,
                channel="web",
                text="lệ phí khai sinh",
                intent="ask_fee",
                procedure_code="1.001193",
                procedure_name="Đăng ký khai sinh",
                fallback=sender == "web-can-bo-thu",
            )
        )
    assert store.mark_test("web-can-bo-thu") and not store.mark_test("web-khong-co")
    assert store.top_procedures() == [("1.001193", "Đăng ký khai sinh", 1)]
    assert store.intent_counts() == {"ask_fee": 1} and store.unanswered() == []
    assert sum(sum(c.values()) for _, c in store.questions_by_day()) == 1
    store.mark_test("web-can-bo-thu", False)
    assert store.top_procedures()[0][2] == 2
