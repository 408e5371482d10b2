"""Whole conversations over Rasa's REST channel: a real Rasa server with the trained model and the
real action server (seeded database, real search index)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from evaluation.stack import ServerProcess
from tests.conftest import ActionServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class Citizen:
    def __init__(self, rasa: ServerProcess) -> None:
        self.rasa = rasa
        self.sender = f"e2e-{uuid.uuid4().hex[:8]}"

    def says(self, text: str) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.rasa.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            timeout=120,
        )
        assert response.status_code == 200, response.text
        replies: list[dict[str, Any]] = response.json()
        return replies

    def reads(self, text: str) -> str:
        return "\n".join(r.get("text") or "" for r in self.says(text))


def test_documents_then_fee_follow_up(rasa_server: ServerProcess) -> None:
    citizen = Citizen(rasa_server)
    documents = citizen.reads("đăng ký khai sinh cần giấy tờ gì")
    assert "1.001193" in documents and "• Tờ khai đăng ký khai sinh" in documents
    fee = citizen.reads("còn lệ phí thì sao?")
    assert "1.001193" in fee and "Phí, lệ phí" in fee


def test_dossier_lookup_ok_and_overdue(rasa_server: ServerProcess) -> None:
    citizen = Citizen(rasa_server)
    on_time = citizen.reads("tra cứu hồ sơ H56.14-261110-0021")
    assert "Đang xử lý" in on_time and "trong hạn" in on_time
    overdue = citizen.reads("kiểm tra giúp tôi hồ sơ H56.14-261105-0034")
    assert "quá hạn" in overdue


def test_dossier_lookup_malformed_then_unknown(rasa_server: ServerProcess) -> None:
    citizen = Citizen(rasa_server)
    assert "mã hồ sơ" in citizen.reads("tôi muốn tra cứu tình trạng hồ sơ").lower()
    assert "chưa đúng định dạng" in citizen.reads("H56.14-2611-0021")
    unknown = citizen.reads("H56.14-240101-9999")
    assert "không tìm thấy" in unknown and "H56.14-240101-9999" in unknown


def test_feedback_gets_a_tracking_number_that_is_in_the_database(
    rasa_server: ServerProcess, action_server: ActionServer
) -> None:
    citizen = Citizen(rasa_server)
    citizen.reads("tôi muốn gửi phản ánh")
    content = "Bộ phận một cửa phường Hồng Hà hẹn trả kết quả thứ hai nhưng đến nay vẫn chưa có"
    citizen.reads(content)
    citizen.reads("không")
    confirmation = citizen.reads("/affirm")
    match = re.search(r"PA-\d{8}-\d{4}", confirmation)
    assert match, confirmation
    engine = sa.create_engine(action_server.database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.text("SELECT content, sender_id FROM feedback WHERE tracking_number = :n"),
            {"n": match.group()},
        ).one()
    engine.dispose()
    assert tuple(stored) == (content, citizen.sender)
