"""A dossier-status intent needs a sign of a filed dossier; without one the next intent is taken.

"bố em vừa mất, giờ đi làm giấy khai tử cho ông" or "làm hồ sơ hưởng chế độ tai nạn lao động thế nào"
name a procedure, yet the classifier sometimes ranks ``check_dossier_status`` or ``subscribe_dossier``
first — and the citizen is asked for a receipt code they do not have. Placed after the classifier and
the entity extractors, before the FallbackClassifier: when one of those intents leads and the message
has no receipt code and no words about a filed dossier (``vntext.dossier_cues``), the best other intent
of the ranking leads instead (with its own confidence, so the FallbackClassifier still judges it).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from vntext.dossier_cues import speaks_of_a_dossier

NEEDS_A_DOSSIER = frozenset({"check_dossier_status", "subscribe_dossier"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DossierEvidence(GraphComponent):
    """Demotes a dossier-status intent that the message gives no sign of (see the module's docstring)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DossierEvidence:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            demote(message)
        return messages


def demote(message: Message) -> None:
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) not in NEEDS_A_DOSSIER or speaks_of_a_dossier(message.get(TEXT) or ""):
        return
    ranking = message.get(INTENT_RANKING_KEY) or []
    others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in NEEDS_A_DOSSIER]
    if not others:
        return
    message.set(INTENT, dict(others[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, others + [r for r in ranking if r not in others], add_to_output=True)
