"""“Phản ánh PA-… đến đâu rồi”: trạng thái xử lý mới, và nội dung trả lời chỉ khi công dân cho đúng 4 số
cuối số điện thoại đã để lại — qua endpoint /webhook thật của action server."""

from __future__ import annotations

import uuid

from assistant.database import Database
from assistant.feedback import FeedbackStatus, FeedbackStore
from tests.actions.rasa_requests import action_request, call, entity, slot_events, texts
from tests.conftest import ActionServer

ANSWER = "UBND phường đã bố trí thêm một cán bộ tiếp nhận vào buổi chiều từ ngày 01/12."


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def stored_feedback(server: ActionServer, *, contact: str | None, who: str, answered: bool = True) -> str:
    """A feedback sent from conversation ``who`` and handled by the staff, as the console does it."""
    database = Database(server.database_url)
    store = FeedbackStore(database)
    number = store.submit(
        content="Phường chỉ có một cán bộ tiếp nhận, người dân phải chờ cả buổi",
        category="phản ánh",
        contact=contact,
        consent=True,
        channel="rest",
        sender_id=who,
    ).tracking_number
    store.update(
        number, operator="canbo.lan", agency="UBND phường Hồng Hà", status=FeedbackStatus.IN_PROGRESS
    )
    if answered:
        store.update(number, operator="canbo.lan", status=FeedbackStatus.ANSWERED, answer=ANSWER)
    database.dispose()
    return number


def ask(server: ActionServer, who: str, text: str) -> dict:
    return call(
        server.url,
        action_request("action_feedback_status", sender=who, text=text, intent="check_feedback_status"),
    )


def digits(server: ActionServer, who: str, typed: str, waiting_for: str | None) -> dict:
    return call(
        server.url,
        action_request(
            "action_verify_second_factor",
            sender=who,
            text=typed,
            intent="inform",
            entities=[entity("phone_last4", typed)],
            slots={"last_dossier_code": waiting_for},
        ),
    )


def test_dang_xu_ly_thi_noi_co_quan_va_han(action_server: ActionServer) -> None:
    number = stored_feedback(action_server, contact="0912345678", who=sender(), answered=False)
    reply = texts(ask(action_server, sender(), f"phản ánh {number} đến đâu rồi"))
    assert "đang xử lý" in reply and "UBND phường Hồng Hà" in reply and "Hạn xử lý bước này" in reply
    assert "0912345678" not in reply and "cả buổi" not in reply


def test_da_tra_loi_thi_hoi_4_so_cuoi_roi_moi_hien_noi_dung(action_server: ActionServer) -> None:
    who = sender()
    number = stored_feedback(action_server, contact="0912 345 678", who=sender())
    first = ask(action_server, who, f"phan anh {number} den dau roi")
    assert "đã trả lời ngày" in texts(first) and "4 số cuối" in texts(first)
    assert ANSWER not in texts(first)
    assert slot_events(first)["last_dossier_code"] == number  # waiting for the digits

    wrong = digits(action_server, who, "1111", number)
    assert "chưa khớp" in texts(wrong) and ANSWER not in texts(wrong)
    right = digits(action_server, who, "5678", number)
    assert f"Nội dung trả lời: {ANSWER}" in texts(right)
    assert slot_events(right)["last_dossier_code"] is None


def test_so_va_4_so_cuoi_trong_cung_mot_tin(action_server: ActionServer) -> None:
    number = stored_feedback(action_server, contact="0987654321", who=sender())
    reply = texts(ask(action_server, sender(), f"phản ánh {number} đến đâu rồi, 4 số cuối 4321"))
    assert ANSWER in reply


def test_khong_de_lai_so_dien_thoai_thi_chi_hoi_thoai_da_gui_moi_xem_duoc(
    action_server: ActionServer,
) -> None:
    who = sender()
    number = stored_feedback(action_server, contact=None, who=who)
    assert ANSWER in texts(ask(action_server, who, f"phản ánh {number} sao rồi"))
    elsewhere = texts(ask(action_server, sender(), f"phản ánh {number} sao rồi"))
    assert ANSWER not in elsewhere and "cuộc trò chuyện bạn dùng khi gửi" in elsewhere


def test_ngay_thang_trong_cau_hoi_khong_bi_coi_la_4_so_cuoi(action_server: ActionServer) -> None:
    number = stored_feedback(action_server, contact="0912345678", who=sender())
    reply = texts(ask(action_server, sender(), f"phản ánh {number} gửi ngày 28/11/2026 đến đâu rồi"))
    assert "chưa khớp" not in reply and "4 số cuối" in reply and ANSWER not in reply
