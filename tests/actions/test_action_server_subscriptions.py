"""Đăng ký và hủy theo dõi hồ sơ qua /webhook thật của action server: chỉ sau yếu tố thứ hai (4 số cuối
điện thoại), mã đưa trước hoặc đưa sau đều được; "hủy" một từ là dừng."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from tests.actions.rasa_requests import action_request, call, entity, slot_events, texts
from tests.conftest import ActionServer

PROCESSING = "H56.14-261110-0021"  # demo dossier "đang xử lý", phone …3456
RETURNED = "38.98.H29-261020-0002"  # demo dossier "đã trả kết quả", phone …6234


def sender() -> str:
    return f"zalo:{uuid.uuid4().hex[:8]}"


def subscribed(server: ActionServer, who: str) -> list[str]:
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT dossier_code FROM dossier_subscriptions WHERE sender_id = :s AND ended_at IS NULL"
                ),
                {"s": who},
            )
            return [code for (code,) in rows]
    finally:
        engine.dispose()


def subscribe(server: ActionServer, who: str, text: str, slots: dict[str, Any] | None = None) -> dict:
    body = action_request(
        "action_subscribe_dossier",
        sender=who,
        text=text,
        intent="subscribe_dossier",
        slots=slots,
        metadata={"channel": "zalo"},  # as the gateway names it
    )
    return call(server.url, body)


def test_tra_cuu_co_4_so_cuoi_roi_nho_bao_thi_dang_ky_ngay(action_server: ActionServer) -> None:
    who = sender()
    looked_up = call(
        action_server.url,
        action_request(
            "action_check_dossier_status",
            sender=who,
            text=f"{PROCESSING} 3456",
            intent="check_dossier_status",
            slots={"dossier_code": PROCESSING, "phone_last4": "3456"},
        ),
    )
    assert slot_events(looked_up)["verified_dossier_code"] == PROCESSING

    answer = subscribe(action_server, who, "bao toi khi co ket qua", {"verified_dossier_code": PROCESSING})
    assert "Đã đăng ký" in texts(answer) and "qua Zalo" in texts(answer)
    assert subscribed(action_server, who) == [PROCESSING]
    again = subscribe(
        action_server, who, "báo cho tôi khi hồ sơ có kết quả", {"verified_dossier_code": PROCESSING}
    )
    assert "đã đăng ký theo dõi" in texts(again) and subscribed(action_server, who) == [PROCESSING]


def test_dua_ma_ngay_trong_cau_thi_hoi_4_so_cuoi_roi_moi_dang_ky(action_server: ActionServer) -> None:
    who = sender()
    first = subscribe(action_server, who, f"theo dõi hồ sơ {PROCESSING} giúp tôi")
    assert "Đang xử lý" in texts(first) and "4 số cuối" in texts(first)
    assert slot_events(first)["subscribe_pending"] is True
    assert slot_events(first)["last_dossier_code"] == PROCESSING
    assert subscribed(action_server, who) == []  # not before the second factor

    digits = call(
        action_server.url,
        action_request(
            "action_verify_second_factor",
            sender=who,
            text="3456",
            intent="inform",
            entities=[entity("phone_last4", "3456")],
            slots={"last_dossier_code": PROCESSING, "subscribe_pending": True},
        ),
    )
    assert "Đã đăng ký" in texts(digits) and slot_events(digits)["subscribe_pending"] is False
    assert subscribed(action_server, who) == [PROCESSING]


def test_chua_co_ma_thi_hoi_ma_kem_4_so_cuoi(action_server: ActionServer) -> None:
    who = sender()
    answer = subscribe(action_server, who, "theo doi ho so nay giup toi")
    assert "mã hồ sơ kèm 4 số cuối" in texts(answer) and slot_events(answer)["subscribe_pending"] is True
    # Sai 4 số cuối: không đăng ký.
    wrong = call(
        action_server.url,
        action_request(
            "action_check_dossier_status",
            sender=who,
            text=f"{PROCESSING} 9999",
            intent="check_dossier_status",
            slots={"dossier_code": PROCESSING, "phone_last4": "9999", "subscribe_pending": True},
        ),
    )
    assert "không khớp" in texts(wrong) and subscribed(action_server, who) == []


def test_ho_so_da_tra_ket_qua_thi_khong_con_gi_de_theo_doi(action_server: ActionServer) -> None:
    who = sender()
    answer = subscribe(action_server, who, f"báo tôi khi hồ sơ {RETURNED} 6234 có kết quả")
    assert "trạng thái cuối" in texts(answer) and subscribed(action_server, who) == []


def test_huy_mot_tu_la_dung_theo_doi(action_server: ActionServer) -> None:
    who = sender()
    subscribe(action_server, who, "báo tôi", {"verified_dossier_code": PROCESSING})
    assert subscribed(action_server, who) == [PROCESSING]
    body = action_request("action_unsubscribe_dossier", sender=who, text="hủy", intent="unsubscribe_dossier")
    stopped = call(action_server.url, body)
    assert "Đã hủy theo dõi hồ sơ" in texts(stopped) and subscribed(action_server, who) == []
    again = call(action_server.url, body)
    assert "chưa đăng ký theo dõi" in texts(again)
