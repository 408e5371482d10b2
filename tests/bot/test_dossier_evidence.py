"""Ý định tra cứu hồ sơ mà câu không có dấu hiệu hồ sơ đã nộp thì nhường cho ý định kế tiếp."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.dossier_evidence import demote


def classified(text: str, *ranking: tuple[str, float]) -> Message:
    message = Message.build(text=text)
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, dict(entries[0]))
    message.set(INTENT_RANKING_KEY, entries)
    return message


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
