"""A message as the classifier leaves it, for the components that read its intent again."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def classified(text: str, *ranking: tuple[str, float]) -> Message:
    message = Message.build(text=text)
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, dict(entries[0]))
    message.set(INTENT_RANKING_KEY, entries)
    return message
