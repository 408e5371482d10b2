"""Dead dependencies: the database refuses connections and the one-stop-shop system times out or
fails. The citizen gets a polite answer with the hotline, the log gets the error, nothing crashes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation.stack import ServerProcess, start_action_server
from tests.actions.rasa_requests import action_request, call, texts
from tests.assistant.dossiers.fake_igate import CODE_IN_FAKE, FakeIGate, fake_igate

CLOSED_PORT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/assistant"


@pytest.fixture(scope="module")
def igate() -> Iterator[FakeIGate]:
    with fake_igate() as server:
        yield server


@pytest.fixture(scope="module")
def broken_server(igate: FakeIGate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {
        "DATABASE_URL": CLOSED_PORT_DATABASE,
        "DOSSIER_BACKEND": "igate",
        "IGATE_URL": igate.url,
        "IGATE_TIMEOUT_SECONDS": "0.3",
        "IGATE_RETRIES": "1",
        "IGATE_BREAKER_FAILURES": "100",
        "WARM_UP": "false",
    }
    server = start_action_server(env, Path(tmp_path_factory.mktemp("broken-action-server")))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sql_down_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"DATABASE_URL": CLOSED_PORT_DATABASE, "DOSSIER_BACKEND": "sql", "WARM_UP": "false"}
    server = start_action_server(env, Path(tmp_path_factory.mktemp("sql-down-action-server")))
    yield server
    server.stop()


def test_database_down_dossier_lookup_is_polite(sql_down_server: ServerProcess) -> None:
    answer = lookup(sql_down_server, "H56.14-261105-0034", "sql-down")
    assert "tạm thời không tra cứu được" in answer and "18001096" in answer
    log = sql_down_server.log_tail(20000)
    assert "dossier lookup failed" in log and "Traceback" not in log


def lookup(server: ServerProcess, code: str, who: str) -> str:
    body = action_request(
        "action_check_dossier_status", sender=who, text=code, intent="inform", slots={"dossier_code": code}
    )
    return texts(call(server.url, body))


def test_connector_answers_from_the_province_system(broken_server: ServerProcess, igate: FakeIGate) -> None:
    igate.always = None
    answer = lookup(broken_server, CODE_IN_FAKE, "ok-1")
    assert "Đang xử lý" in answer and "Đăng ký khai sinh" in answer


@pytest.mark.parametrize("fault", ["slow", "500", "malformed"])
def test_province_system_failing_gives_a_polite_answer(
    broken_server: ServerProcess, igate: FakeIGate, fault: str
) -> None:
    igate.always = fault
    answer = lookup(broken_server, CODE_IN_FAKE, f"fault-{fault}")
    igate.always = None
    assert "tạm thời không tra cứu được" in answer and "18001096" in answer
    assert "dossier lookup failed" in broken_server.log_tail(20000)


def test_database_down_feedback_is_not_confirmed(broken_server: ServerProcess) -> None:
    slots = {"feedback_content": "Phản ánh về thái độ tiếp dân ở bộ phận một cửa", "feedback_contact": ""}
    body = action_request(
        "action_submit_feedback", sender="db-down", text="/deny", intent="deny", slots=slots
    )
    result = call(broken_server.url, body)
    assert "chưa ghi nhận được" in texts(result) and "PA-" not in texts(result)
    assert result["events"] == []  # the slots keep what the citizen wrote
    assert "feedback could not be stored" in broken_server.log_tail(20000)


def test_database_down_handoff_points_to_the_hotline(broken_server: ServerProcess) -> None:
    body = action_request(
        "action_handoff_to_human", sender="db-down-2", text="gặp cán bộ", intent="request_human"
    )
    assert "18001096" in texts(call(broken_server.url, body))
    assert "Traceback" not in broken_server.log_tail(50000)
