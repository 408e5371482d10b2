"""The trained model (make rasa-model) on what citizens send, including input that is no question at all."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain

REPO = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("RASA_MODEL", REPO / "var" / "models" / "rasa" / "assistant.tar.gz"))
INTENTS = set(Domain.load(str(REPO / "bot" / "domain.yml")).intents)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def parse() -> Any:
    if not MODEL.is_file():
        pytest.fail(f"no trained model at {MODEL}: run `make rasa-model` first")
    from rasa.core.agent import Agent

    loop = asyncio.new_event_loop()
    agent = Agent.load(str(MODEL))

    def _parse(text: str) -> dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀😀",
        "👍",
        "???",
        "cho em hỏi làm căn cước cần giấy tờ gì ạ " * 125,
        "x" * 5000,
        "hello, I need to renew my passport, which documents do I need?",
        "<script>alert('xin chao')</script>",
        "SELECT * FROM dossiers; --",
        "\u0000\u200b\ufeff",
    ],
    ids=[
        "rỗng",
        "khoảng trắng",
        "emoji",
        "một emoji",
        "dấu hỏi",
        "5000 ký tự",
        "5000 chữ x",
        "tiếng Anh",
        "html",
        "sql",
        "ký tự lạ",
    ],
)
def test_bad_input_gets_an_intent_or_fallback_never_an_error(parse: Any, text: str) -> None:
    result = parse(text)
    assert result["intent"]["name"] in INTENTS  # nlu_fallback included


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("làm căn cước cần giấy tờ gì ạ", "ask_documents"),
        ("lam can cuoc can giay to gi a", "ask_documents"),
        ("le phi doi bang lai bao nhieu", "ask_fee"),
        ("còn lệ phí thì sao?", "ask_fee"),
        ("Đăng ký kết hôn nộp ở đâu", "ask_where_to_submit"),
        ("đăng kí tạm trú trên VNeID dc ko", "ask_online_service"),
        ("ad ơi cho e hỏi thủ tục hoà giải ở uỷ ban mất mấy ngày", "ask_processing_time"),
    ],
)
def test_citizen_phrasings(parse: Any, text: str, intent: str) -> None:
    assert parse(text)["intent"]["name"] == intent


def test_dossier_code_is_extracted_as_typed(parse: Any) -> None:
    text = "kiểm tra hồ sơ h56.14 - 240823 - 0001 giúp em"
    entities = [e for e in parse(text)["entities"] if e["entity"] == "dossier_code"]
    assert entities and text[entities[0]["start"] : entities[0]["end"]] == "h56.14 - 240823 - 0001"


def test_everyday_procedure_name_maps_to_official_name(parse: Any) -> None:
    entities = [e for e in parse("lam so do het bao nhieu tien")["entities"] if e["entity"] == "procedure"]
    assert [e["value"] for e in entities] == ["cấp giấy chứng nhận quyền sử dụng đất lần đầu"]


def test_button_payload_keeps_the_procedure_code(parse: Any) -> None:
    result = parse('/inform{"procedure_code": "1.001193"}')
    assert result["intent"]["name"] == "inform"
    assert [(e["entity"], e["value"]) for e in result["entities"]] == [("procedure_code", "1.001193")]
