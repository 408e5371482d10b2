"""Câu kể hoàn cảnh rồi hỏi ở cuối ("…, xin ở đâu ạ", "…, hết bao nhiêu tiền") hỏi đúng điều câu cuối hỏi,
dù bộ phân loại nghiêng về khía cạnh khác."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from bot.components.closing_question import read_closing_question
from tests.bot.intent_messages import classified


@pytest.mark.parametrize(
    "text",
    [
        "ngân hàng bắt bổ sung giấy xác nhận số CMND cũ 9 số với số CCCD mới, xin ở đâu ạ",
        "muốn tích hợp thẻ BHYT với GPLX vào thẻ căn cước thì làm ở đâu",
        "chong sap cuoi cua em la nguoi han quoc, dang ky ket hon o dau a",
        "sổ đỏ bị cháy mất rồi. Nộp hồ sơ cấp lại ở chỗ nào vậy?",
    ],
)
def test_câu_hỏi_cuối_về_nơi_chốn_là_hỏi_nơi_nộp(text: str) -> None:
    message = classified(text, ("ask_documents", 0.3), ("ask_conditions", 0.25), ("ask_where_to_submit", 0.2))
    read_closing_question(message)
    assert message.get(INTENT) == {"name": "ask_where_to_submit", "confidence": 0.75}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == [
        "ask_where_to_submit",
        "ask_documents",
        "ask_conditions",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "đăng ký kết hôn ở xã cần giấy tờ gì",  # the place is the situation, the papers the question
        "lấy mẫu tờ khai đăng ký khai sinh ở đâu",  # where the form is: the forms
        "nộp trực tuyến ở đâu",  # the online service
    ],
)
def test_câu_không_kết_thúc_bằng_câu_hỏi_nơi_nộp_giữ_nguyên(text: str) -> None:
    message = classified(text, ("ask_documents", 0.6), ("ask_where_to_submit", 0.2))
    read_closing_question(message)
    assert message.get(INTENT)["name"] == "ask_documents"


def test_hồ_sơ_đã_nộp_đang_ở_đâu_vẫn_là_tra_cứu_hồ_sơ() -> None:
    message = classified(
        "hồ sơ của tôi đang ở đâu", ("check_dossier_status", 0.8), ("ask_where_to_submit", 0.1)
    )
    read_closing_question(message)
    assert message.get(INTENT)["name"] == "check_dossier_status"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("con em 3 tuổi bị sốt, em nghỉ chăm con, hồ sơ hưởng chế độ ốm đau hết bao nhiêu tiền", "ask_fee"),
        ("đất ông bà để lại chưa có sổ, giờ làm sổ lần đầu thì mất bao lâu ạ", "ask_processing_time"),
        ("mai em ra xã đăng ký kết hôn, phải mang theo giấy tờ gì", "ask_documents"),
    ],
)
def test_câu_hỏi_cuối_quyết_định_khía_cạnh(text: str, intent: str) -> None:
    message = classified(text, ("ask_conditions", 0.5), ("ask_where_to_submit", 0.2))
    read_closing_question(message)
    assert message.get(INTENT)["name"] == intent
