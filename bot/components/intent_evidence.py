"""Some intents need a sign in the message; without one the next intent of the ranking is taken.

"bố em vừa mất, giờ đi làm giấy khai tử cho ông" or "làm hồ sơ hưởng chế độ tai nạn lao động thế nào"
name a procedure, yet the classifier sometimes ranks ``check_dossier_status`` or ``subscribe_dossier``
first — and the citizen is asked for a receipt code they do not have; "công chứng photo bằng tốt nghiệp
bao nhiêu tiền 1 trang" sometimes gets ``submit_feedback`` — and the citizen is asked for the content of
a complaint. Placed after the classifier and the entity extractors, before the FallbackClassifier: when
such an intent leads and the message has no sign of it (a receipt code or words about a filed dossier,
``vntext.dossier_cues``; for feedback, a question about a procedure with no word of a complaint, a
suggestion or a fault, ``vntext.grievance_cues``),
the best intent of the ranking that needs no sign, or has one, leads instead (with its own confidence,
so the FallbackClassifier still judges it). Buttons send their intent directly and are not judged.
"""

from __future__ import annotations

from collections.abc import Callable

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_rewriter import IntentRewriter
from vntext.dossier_cues import speaks_of_a_dossier
from vntext.grievance_cues import could_be_feedback

# Intent → the sign a message of that intent carries.
EVIDENCE: dict[str, Callable[[str], bool]] = {
    "check_dossier_status": speaks_of_a_dossier,
    "subscribe_dossier": speaks_of_a_dossier,
    "submit_feedback": could_be_feedback,
}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentEvidence(IntentRewriter):
    """Demotes an intent that the message gives no sign of (see the module's docstring)."""

    def rewrite(self, message: Message) -> None:
        demote(message)


def demote(message: Message) -> None:
    text = message.get(TEXT) or ""
    signed: dict[str, bool] = {}

    def stands(name: str | None) -> bool:
        if name not in EVIDENCE:
            return True
        if name not in signed:
            signed[name] = EVIDENCE[name](text)
        return signed[name]

    intent = message.get(INTENT) or {}
    if stands(intent.get(INTENT_NAME_KEY)):
        return
    ranking = message.get(INTENT_RANKING_KEY) or []
    others = [r for r in ranking if stands(r.get(INTENT_NAME_KEY))]
    if not others:
        return
    message.set(INTENT, dict(others[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, others + [r for r in ranking if r not in others], add_to_output=True)
