"""Gặp cán bộ theo giờ làm việc: trong giờ, công dân biết vị trí trong hàng chờ; ngoài giờ, biết khi nào
cán bộ quay lại và câu hỏi được giữ cho ca làm việc sau — action server thật với giờ làm việc cấu hình."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.database import Database, utcnow
from assistant.handoffs import HandoffStore
from assistant.office_hours import VN_TZ, WEEKDAY_NAMES
from evaluation.stack import ServerProcess, start_action_server
from tests.actions.rasa_requests import action_request, call, texts, user_event


def start(tmp: Path, env: dict[str, str]) -> ServerProcess:
    return start_action_server(
        {"DATABASE_URL": f"sqlite:///{tmp / 'assistant.db'}", "WARM_UP": "false", **env}, tmp, timeout=120
    )


@pytest.fixture(scope="module")
def always_open(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    tmp = tmp_path_factory.mktemp("always-open")
    server = start(tmp, {"OFFICE_DAYS": "1-7", "OFFICE_HOURS": "00:00-24:00"})
    yield server, f"sqlite:///{tmp / 'assistant.db'}"
    server.stop()


@pytest.fixture(scope="module")
def closed_for_holidays(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    today = utcnow().astimezone(VN_TZ).date()
    holidays = f"{today - timedelta(days=1)}..{today + timedelta(days=2)}"
    tmp = tmp_path_factory.mktemp("holidays")
    server = start(
        tmp, {"OFFICE_DAYS": "1-7", "OFFICE_HOURS": "07:30-11:30,13:30-17:00", "HOLIDAYS": holidays}
    )
    yield server, f"sqlite:///{tmp / 'assistant.db'}"
    server.stop()


def ask_for_a_person(server: ServerProcess, who: str, question: str) -> str:
    body = action_request(
        "action_handoff_to_human",
        sender=who,
        text="cho tôi gặp cán bộ",
        intent="request_human",
        earlier_events=[user_event(question, "nlu_fallback")],
    )
    return texts(call(server.url, body))


def test_trong_gio_cong_dan_biet_vi_tri_trong_hang_cho(always_open: tuple[ServerProcess, str]) -> None:
    server, _ = always_open
    first, second = (f"web-{uuid.uuid4().hex[:8]}" for _ in range(2))
    assert "vị trí số 1 trong hàng chờ" in ask_for_a_person(server, first, "hồ sơ đất đai bị trả lại")
    assert "vị trí số 2 trong hàng chờ" in ask_for_a_person(server, second, "đổi bằng lái xe ở đâu")
    assert "ngoài giờ" not in ask_for_a_person(server, second, "đổi bằng lái xe ở đâu")


def test_ngoai_gio_noi_khi_nao_can_bo_quay_lai_va_giu_cau_hoi(
    closed_for_holidays: tuple[ServerProcess, str],
) -> None:
    server, database_url = closed_for_holidays
    who = f"zalo:{uuid.uuid4().hex[:8]}"
    question = "hồ sơ chuyển nhượng đất của tôi quá hạn 10 ngày rồi"
    reply = ask_for_a_person(server, who, question)
    back = utcnow().astimezone(VN_TZ).date() + timedelta(days=3)
    assert "ngoài giờ làm việc" in reply
    assert f"7 giờ 30 sáng {WEEKDAY_NAMES[back.weekday()]} {back:%d/%m}" in reply
    assert question in reply and "không cần nhắn lại" in reply and "18001096" in reply

    database = Database(database_url)
    listed = HandoffStore(database).waiting_or_taken()
    database.dispose()
    assert listed[0].conversation_id == who and listed[0].after_hours and listed[0].last_message == question
