"""Ý định cần dấu hiệu trong câu (hồ sơ đã nộp, lời phản ánh); không có thì nhường cho ý định kế tiếp."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT

from bot.components.intent_evidence import demote
from tests.bot.intent_messages import classified


def test_câu_nêu_thủ_tục_không_bị_hỏi_mã_hồ_sơ() -> None:
    message = classified(
        "làm hồ sơ hưởng chế độ tai nạn lao động thế nào",
        ("check_dossier_status", 0.55),
        ("subscribe_dossier", 0.2),
        ("ask_procedure_steps", 0.15),
    )
    demote(message)
    assert message.get(INTENT) == {"name": "ask_procedure_steps", "confidence": 0.15}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "ask_procedure_steps"
    assert message.get(TEXT) == "làm hồ sơ hưởng chế độ tai nạn lao động thế nào"


def test_câu_hỏi_tiến_độ_hồ_sơ_giữ_nguyên() -> None:
    message = classified("hồ sơ của tôi đến đâu rồi", ("check_dossier_status", 0.9), ("ask_fee", 0.05))
    demote(message)
    assert message.get(INTENT)["name"] == "check_dossier_status"


def test_hỏi_lệ_phí_không_mở_biểu_mẫu_phản_ánh() -> None:
    message = classified(
        "cong chung photo bang tot nghiep o ubnd xa bao nhieu tien 1 trang",
        ("submit_feedback", 0.5),
        ("check_dossier_status", 0.3),
        ("ask_fee", 0.2),
    )
    demote(message)
    assert message.get(INTENT) == {"name": "ask_fee", "confidence": 0.2}


def test_lời_phản_ánh_giữ_nguyên() -> None:
    message = classified("cán bộ một cửa hách dịch với dân", ("submit_feedback", 0.8), ("ask_fee", 0.1))
    demote(message)
    assert message.get(INTENT)["name"] == "submit_feedback"
