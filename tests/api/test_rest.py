"""Public REST: dossier status with a second factor, feedback with tracking numbers, clear errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from assistant.database import utcnow
from assistant.dossiers.sql_store import NewDossier, SqlDossierStore
from assistant.dossiers.status import DossierStatus
from evaluation.platform_fakes import FakePlatform
from tests.api.conftest import RunningApi, gateway_app, serve

CODE = "H56.14-261020-0777"


@pytest.fixture(scope="module", autouse=True)
def ho_so_mau(gateway: RunningApi) -> None:
    domain = gateway.services.domain
    store = SqlDossierStore(domain.database, phone_hash_secret=domain.settings.phone_hash_secret)
    received = utcnow() - timedelta(days=3)
    store.upsert(
        NewDossier(
            code=CODE,
            procedure_code="1.001193",
            procedure_name="Đăng ký khai sinh",
            agency="UBND phường Bến Thành",
            channel="trực tuyến",
            received_at=received,
            due_at=received + timedelta(days=5),
            applicant_masked="Nguyễn V** A**",
            phone_number="0912345678",
            history=[
                (DossierStatus.RECEIVED, received),
                (DossierStatus.PROCESSING, received + timedelta(days=1)),
            ],
        )
    )


def test_tra_cuu_ho_so_khong_lo_thong_tin_ca_nhan(client: httpx.Client) -> None:
    response = client.get(f"/api/v1/dossiers/{CODE}")
    assert response.status_code == 200
    body = response.json()
    assert body["found"] and body["status"] == "Đang xử lý"
    assert body["verified"] is False and body["applicant"] is None
    assert "Nguyễn" not in response.text


def test_ma_ho_so_viet_thuong_co_khoang_trang_van_tim_duoc(client: httpx.Client) -> None:
    response = client.get("/api/v1/dossiers/h56.14 - 261020 - 0777")
    assert response.status_code == 200
    assert response.json()["code"] == CODE


def test_dung_4_so_cuoi_dien_thoai_thi_thay_nguoi_nop(client: httpx.Client) -> None:
    body = client.get(f"/api/v1/dossiers/{CODE}", params={"phone_last4": "5678"}).json()
    assert body["verified"] is True
    assert body["applicant"] == "Nguyễn V** A**"


def test_sai_4_so_cuoi_thi_khong_thay_nguoi_nop(client: httpx.Client) -> None:
    body = client.get(f"/api/v1/dossiers/{CODE}", params={"phone_last4": "1111"}).json()
    assert body["verified"] is False and body["applicant"] is None
    assert "không khớp" in body["message"]


def test_ma_ho_so_sai_dinh_dang_duoc_huong_dan(client: httpx.Client) -> None:
    response = client.get("/api/v1/dossiers/khong-phai-ma")
    assert response.status_code == 400
    assert "định dạng" in response.json()["message"]


def test_ma_ho_so_khong_ton_tai(client: httpx.Client) -> None:
    response = client.get("/api/v1/dossiers/H56.14-200101-9999")
    assert response.status_code == 404
    assert "không tìm thấy" in response.json()["message"].lower()


def test_gui_phan_anh_nhan_ma_theo_doi(client: httpx.Client) -> None:
    response = client.post(
        "/api/v1/feedback",
        json={"content": "Bộ phận một cửa phường đóng cửa sớm hơn giờ niêm yết", "consent": True},
    )
    assert response.status_code == 201
    number = response.json()["tracking_number"]
    assert number.startswith("PA-") and number in response.json()["message"]
    second = client.post(
        "/api/v1/feedback", json={"content": "Kiến nghị thêm chỗ để xe", "category": "kiến nghị"}
    )
    assert second.json()["tracking_number"] != number


def test_phan_anh_rong_bi_tu_choi_ro_rang(client: httpx.Client) -> None:
    assert client.post("/api/v1/feedback", json={"content": "   "}).status_code == 422
    assert client.post("/api/v1/feedback", json={}).status_code == 422


def test_chat_tin_nhan_rong_hoac_qua_dai_bi_tu_choi_ro_rang(client: httpx.Client) -> None:
    empty = client.post("/api/v1/chat", json={"sender": "web-rong", "text": "  \n "})
    assert empty.status_code == 422 and "nhập nội dung" in empty.json()["detail"]
    huge = client.post("/api/v1/chat", json={"sender": "web-dai", "text": "khai sinh " * 500})
    assert huge.status_code == 422 and "rút gọn" in huge.json()["detail"]
    spoofed = client.post("/api/v1/chat", json={"sender": "zalo:123", "text": "xin chào"})
    assert spoofed.status_code == 422  # a web client cannot pose as a Zalo conversation


def test_rasa_khong_tra_loi_thi_che_do_du_phong_va_noi_ro(client: httpx.Client) -> None:
    response = client.post("/api/v1/chat", json={"sender": "web-du-phong", "text": "cấp lại căn cước"})
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "degraded"
    assert "tra cứu nhanh" in body["messages"][0]["text"]
    assert all(m["source"] == "search" for m in body["messages"])


def test_thu_tuc_khi_chi_muc_chua_san_sang_tra_503_lich_su(client: httpx.Client) -> None:
    response = client.get("/api/v1/procedures/search", params={"q": "khai sinh"})
    assert response.status_code == 503
    assert "thử lại" in response.json()["detail"]


def test_health_bao_tung_thanh_phan(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 503  # Rasa and the action server are not running for this app
    components = response.json()["components"]
    assert set(components) == {"rasa", "actions", "search_index", "database"}
    assert components["rasa"]["status"] == "down"
    assert components["database"] == {"status": "up", "detail": "sqlite"}


def test_metrics_dang_prometheus(client: httpx.Client) -> None:
    client.post("/api/v1/chat", json={"sender": "web-metrics", "text": "lệ phí khai sinh"})
    text = client.get("/metrics").text
    assert 'api_requests_total{method="POST",route="/api/v1/chat",status="200"}' in text
    assert "api_request_duration_seconds_bucket" in text
    assert "chat_degraded_answers_total" in text
    assert 'chat_messages_total{channel="web"}' in text


def test_widget_va_trang_minh_hoa(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/widget.js"' in page.text
    script = client.get("/widget.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "aria-live" in script.text and "localStorage" in script.text
    assert client.get("/widget.css").status_code == 200


def test_co_so_du_lieu_ngung_van_tra_loi_lich_su(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    dead = "postgresql+psycopg://postgres@127.0.0.1:9/khong_co"  # nothing listens on port 9
    running = serve(gateway_app(tmp_path, zalo_platform, graph_platform, database_url=dead))
    try:
        with running.client() as c:
            chat = c.post("/api/v1/chat", json={"sender": "web-khong-db", "text": "lệ phí khai sinh"})
            assert chat.status_code == 200 and chat.json()["messages"]
            feedback = c.post("/api/v1/feedback", json={"content": "Góp ý"})
            assert feedback.status_code == 503 and "đường dây nóng" in feedback.json()["detail"]
            dossier = c.get(f"/api/v1/dossiers/{CODE}")
            assert dossier.status_code == 503 and "18001096" in dossier.json()["message"]
            health = c.get("/health").json()
            assert health["components"]["database"]["status"] == "down"
    finally:
        running.stop()


def test_tra_cuu_phan_anh_qua_api_chi_thay_tra_loi_khi_dung_4_so_cuoi(
    tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> None:
    from assistant.feedback import FeedbackStatus

    running = serve(gateway_app(tmp_path, zalo_platform, graph_platform, lookup_rate_limit=1000))
    try:
        store = running.services.domain.feedback
        number = store.submit(
            content="Phường hẹn trả kết quả nhưng không trả",
            category="phản ánh",
            contact="0912345678",
            consent=True,
            channel="web",
            sender_id="api",
        ).tracking_number
        store.update(number, operator="cb", agency="UBND phường Hồng Hà", status=FeedbackStatus.IN_PROGRESS)
        store.update(
            number, operator="cb", status=FeedbackStatus.ANSWERED, answer="Đã trả kết quả ngày 30/11."
        )
        with running.client() as c:
            public = c.get(f"/api/v1/feedback/{number}").json()
            verified = c.get(f"/api/v1/feedback/{number}", params={"phone_last4": "5678"}).json()
            wrong = c.get(f"/api/v1/feedback/{number}", params={"phone_last4": "1234"}).json()
            missing = c.get("/api/v1/feedback/PA-20200101-0001")
            malformed = c.get("/api/v1/feedback/PA-1")
    finally:
        running.stop()
    assert (public["status"], public["status_label"], public["agency"]) == (
        "answered",
        "đã trả lời",
        "UBND phường Hồng Hà",
    )
    assert public["answer"] is None and "Đã trả kết quả" not in public["message"]
    assert verified["answer"] == "Đã trả kết quả ngày 30/11." and "Nội dung trả lời" in verified["message"]
    assert wrong["answer"] is None and "chưa khớp" in wrong["message"]
    assert missing.status_code == 404 and "không tìm thấy" in missing.json()["detail"]
    assert malformed.status_code == 422
