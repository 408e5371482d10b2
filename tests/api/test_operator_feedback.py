"""Phản ánh, kiến nghị trên bảng điều khiển: cán bộ giao cơ quan, đổi trạng thái, trả lời; câu trả lời
được lưu và gửi tới công dân đúng kênh họ dùng, theo quy tắc nhắn tin của từng nền tảng."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from assistant.database import utcnow
from assistant.feedback import FeedbackStatus
from assistant.operators import OperatorAccounts, Role
from assistant.tables import ConversationRow
from evaluation.platform_fakes import FakePlatform, graph_rules, zalo_rules
from tests.api.conftest import RunningApi
from tests.api.test_operator import PASSWORD, logged_in

CONTENT = "Bộ phận một cửa phường Hồng Hà hẹn trả kết quả thứ Hai nhưng đến nay vẫn chưa có"


@pytest.fixture(scope="module")
def staff(gateway: RunningApi) -> None:
    accounts = OperatorAccounts(gateway.services.domain.database)
    if "canbo.hoa" not in {name for name, _ in accounts.list()}:
        accounts.add("canbo.hoa", PASSWORD, Role.OPERATOR)


@pytest.fixture
def operator(gateway: RunningApi, staff: None) -> Iterator[httpx.Client]:
    c = logged_in(gateway, "canbo.hoa")
    yield c
    c.close()


def file_feedback(gateway: RunningApi, sender_id: str, contact: str | None = "0912345678") -> str:
    """As the action server stores it when the citizen sends a feedback in the chat."""
    return gateway.services.domain.feedback.submit(
        content=CONTENT,
        category="phản ánh",
        contact=contact,
        consent=True,
        channel="rest",
        sender_id=sender_id,
    ).tracking_number


def citizen_wrote(gateway: RunningApi, sender_id: str, ago: timedelta) -> None:
    """The citizen's last message in this conversation was ``ago``."""
    channel = sender_id.partition(":")[0] if ":" in sender_id else "web"
    gateway.services.store.begin_turn(sender_id, channel, "tôi muốn gửi phản ánh")
    with gateway.services.domain.database.session() as session:
        session.execute(
            sa.update(ConversationRow)
            .where(ConversationRow.sender_id == sender_id)
            .values(last_message_at=utcnow() - ago)
        )


def test_xu_ly_tu_tiep_nhan_den_tra_loi_va_cong_dan_web_thay_khi_quay_lai(
    operator: httpx.Client, client: httpx.Client, gateway: RunningApi
) -> None:
    sender = f"web-{uuid.uuid4().hex[:10]}"
    number = file_feedback(gateway, sender)

    listed = operator.get("/operator/api/feedback").json()
    mine = next(i for i in listed if i["tracking_number"] == number)
    assert (mine["status"], mine["status_label"], mine["channel"]) == ("received", "tiếp nhận", "web")
    assert mine["overdue"] is False and mine["due_at"] is not None

    assigned = operator.post(f"/operator/api/feedback/{number}", json={"agency": "UBND phường Hồng Hà"})
    assert assigned.status_code == 200 and assigned.json()["delivery"] is None
    taken = operator.post(
        f"/operator/api/feedback/{number}", json={"status": "in_progress", "note": "đã gọi"}
    )
    assert taken.json()["feedback"]["status_label"] == "đang xử lý"
    refused = operator.post(f"/operator/api/feedback/{number}", json={"status": "answered"})
    assert refused.status_code == 409 and "nội dung trả lời" in refused.json()["detail"]

    answer = "Phường đã liên hệ và trả kết quả cho bạn ngày 30/11. Xin lỗi vì sự chậm trễ."
    done = operator.post(f"/operator/api/feedback/{number}", json={"status": "answered", "answer": answer})
    body = done.json()
    assert done.status_code == 200 and body["delivery"] == "kept"
    assert "khi họ quay lại" in body["message"]
    detail = body["feedback"]
    assert (detail["status"], detail["answer"], detail["answered_by"]) == ("answered", answer, "canbo.hoa")
    assert [h["status"] for h in detail["history"]] == ["received", "in_progress", "answered"]
    assert detail["contact"] == "0912345678" and detail["answer_delivery"] == "kept"

    # The widget shows it when the citizen comes back (with the conversation's secret, as it keeps it).
    secret = gateway.services.store.issue_secret(sender, "web")
    assert secret is not None
    token = {"X-Conversation-Token": secret}
    updates = client.get(f"/api/v1/chat/{sender}/updates", headers=token).json()["updates"]
    assert updates and answer in updates[-1]["message"]["text"] and number in updates[-1]["message"]["text"]
    # Closed: listed with the closed ones, and no further change.
    assert number not in {i["tracking_number"] for i in operator.get("/operator/api/feedback").json()}
    assert number in {
        i["tracking_number"] for i in operator.get("/operator/api/feedback?state=closed").json()
    }
    assert (
        operator.post(f"/operator/api/feedback/{number}", json={"status": "in_progress"}).status_code == 409
    )


def test_tra_loi_gui_qua_zalo(
    operator: httpx.Client, gateway: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    citizen_wrote(gateway, f"zalo:{user}", timedelta(hours=3))
    number = file_feedback(gateway, f"zalo:{user}")
    result = operator.post(
        f"/operator/api/feedback/{number}",
        json={"status": "answered", "agency": "UBND phường Hồng Hà", "answer": "Đã trả kết quả cho bạn."},
    ).json()
    assert result["delivery"] == "sent" and "Zalo" in result["message"]
    sent = zalo_platform.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient") == {"user_id": user}
    )
    text = sent[0].body["message"]["text"]
    assert number in text and "Đã trả kết quả cho bạn." in text and "UBND phường Hồng Hà" in text


def test_chuyen_co_quan_khac_bao_cho_cong_dan(
    operator: httpx.Client, gateway: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    citizen_wrote(gateway, f"zalo:{user}", timedelta(minutes=5))
    number = file_feedback(gateway, f"zalo:{user}")
    no_agency = operator.post(f"/operator/api/feedback/{number}", json={"status": "transferred"})
    assert no_agency.status_code == 409
    result = operator.post(
        f"/operator/api/feedback/{number}", json={"status": "transferred", "agency": "Sở Xây dựng"}
    ).json()
    assert result["feedback"]["status_label"] == "chuyển cơ quan khác" and result["delivery"] == "sent"
    sent = zalo_platform.wait_for(
        lambda r: isinstance(r.body, dict) and r.body.get("recipient") == {"user_id": user}
    )
    assert "đã được chuyển tới Sở Xây dựng" in sent[0].body["message"]["text"]


def test_messenger_sau_24_gio_gui_voi_the_human_agent(
    operator: httpx.Client, gateway: RunningApi, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    graph_rules(graph_platform).person_wrote(psid, timedelta(days=3))
    citizen_wrote(gateway, f"messenger:{psid}", timedelta(days=3))
    number = file_feedback(gateway, f"messenger:{psid}")
    result = operator.post(
        f"/operator/api/feedback/{number}", json={"status": "answered", "answer": "Hồ sơ đã có kết quả."}
    ).json()
    assert result["delivery"] == "sent"
    sent = graph_platform.wait_for(lambda r: r.body.get("recipient", {}).get("id") == psid)
    assert (sent[0].body["messaging_type"], sent[0].body["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


def test_messenger_qua_7_ngay_bang_dieu_khien_noi_ro_va_van_luu_cau_tra_loi(
    operator: httpx.Client, gateway: RunningApi, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    graph_rules(graph_platform).person_wrote(psid, timedelta(days=9))
    citizen_wrote(gateway, f"messenger:{psid}", timedelta(days=9))
    number = file_feedback(gateway, f"messenger:{psid}")
    result = operator.post(
        f"/operator/api/feedback/{number}", json={"status": "answered", "answer": "Hồ sơ đã có kết quả."}
    ).json()
    assert result["delivery"] == "outside_window"
    assert "quá 7 ngày" in result["message"] and "vui lòng thử lại" not in result["message"]
    assert f"phản ánh {number} đến đâu rồi" in result["message"]
    assert not graph_platform.wait_for(lambda r: r.body.get("recipient", {}).get("id") == psid, timeout=0.5)
    kept = gateway.services.domain.feedback.get(number)
    assert (
        kept is not None and kept.status is FeedbackStatus.ANSWERED and kept.answer == "Hồ sơ đã có kết quả."
    )
    assert kept.answer_delivery == "outside_window"


def test_tra_loi_hoi_thoai_messenger_ngoai_khung_thi_noi_ro_ly_do(
    operator: httpx.Client, gateway: RunningApi, graph_platform: FakePlatform
) -> None:
    psid = uuid.uuid4().hex[:16]
    sender = f"messenger:{psid}"
    citizen_wrote(gateway, sender, timedelta(days=8))
    gateway.services.domain.handoffs.request(
        conversation_id=sender, channel="messenger", sender_id=sender, reason="r"
    )
    assert operator.post(f"/operator/api/conversations/{sender}/takeover").status_code == 200
    reply = operator.post(f"/operator/api/conversations/{sender}/reply", json={"text": "Chào bạn"})
    assert reply.status_code == 409
    assert "quá 7 ngày" in reply.json()["detail"] and "thử lại" not in reply.json()["detail"]
    operator.post(f"/operator/api/conversations/{sender}/handback")


def test_qua_han_duoc_danh_dau_va_dung_dau_danh_sach(operator: httpx.Client, gateway: RunningApi) -> None:
    number = file_feedback(gateway, f"web-{uuid.uuid4().hex[:8]}")
    with gateway.services.domain.database.session() as session:
        session.execute(
            sa.text(
                "UPDATE feedback SET created_at = :at, status_changed_at = :at WHERE tracking_number = :n"
            ),
            {"at": utcnow() - timedelta(days=30), "n": number},
        )
    listed = operator.get("/operator/api/feedback").json()
    assert listed[0]["overdue"] is True
    assert next(i for i in listed if i["tracking_number"] == number)["overdue"] is True
    assert operator.get(f"/operator/api/feedback/{number}").json()["overdue"] is True


def test_can_dang_nhap_moi_xem_phan_anh(client: httpx.Client) -> None:
    assert client.get("/operator/api/feedback").status_code == 401
    assert (
        client.post("/operator/api/feedback/PA-20261128-0001", json={"status": "in_progress"}).status_code
        == 401
    )


def test_bao_cao_phan_anh_theo_co_quan_va_csv(gateway: RunningApi, staff: None) -> None:
    from tests.api.test_operator import add_operator

    add_operator(gateway, "quantri.baocao", "admin")
    agency = f"UBND xã Thử {uuid.uuid4().hex[:4]}"
    store = gateway.services.domain.feedback
    numbers = [file_feedback(gateway, f"web-{uuid.uuid4().hex[:8]}") for _ in range(3)]
    for number in numbers:
        store.update(number, operator="canbo.hoa", agency=agency)
    store.update(numbers[0], operator="canbo.hoa", status=FeedbackStatus.ANSWERED, answer="Đã xử lý.")
    with gateway.services.domain.database.session() as session:
        session.execute(
            sa.text("UPDATE feedback SET status_changed_at = :at WHERE tracking_number = :n"),
            {"at": utcnow() - timedelta(days=30), "n": numbers[1]},
        )
    admin = logged_in(gateway, "quantri.baocao")
    try:
        figures = admin.get("/operator/api/analytics").json()["feedback_by_agency"]
        csv_answer = admin.get("/operator/api/feedback/report.csv")
    finally:
        admin.close()
    assert next(f for f in figures if f["agency"] == agency) == {
        "agency": agency,
        "received": 3,
        "answered": 1,
        "overdue": 1,
    }
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert f"{agency},3,1,1" in csv_answer.text and csv_answer.text.startswith("\ufeffCơ quan")
    operator = logged_in(gateway, "canbo.hoa")
    try:
        assert operator.get("/operator/api/feedback/report.csv").status_code == 403
    finally:
        operator.close()


def test_zalo_qua_48_gio_la_tin_chu_dong_zalo_tu_choi_thi_bang_dieu_khien_noi_ro(
    operator: httpx.Client, gateway: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    citizen_wrote(gateway, f"zalo:{user}", timedelta(days=3))
    zalo_rules(zalo_platform).outside_window.add(user)  # this OA may not send proactive messages to them
    number = file_feedback(gateway, f"zalo:{user}")
    result = operator.post(
        f"/operator/api/feedback/{number}", json={"status": "answered", "answer": "Hồ sơ đã có kết quả."}
    ).json()
    assert result["delivery"] == "outside_window"
    assert "48 giờ" in result["message"] and "tin chủ động" in result["message"]
    kept = gateway.services.domain.feedback.get(number)
    assert kept is not None and kept.answer == "Hồ sơ đã có kết quả."
