"""A message that ends by asking where ("…, xin ở đâu ạ", "…thì làm ở đâu") asks where to submit.

Citizens tell their situation first and ask last: "ngân hàng bắt bổ sung giấy xác nhận số CMND cũ 9 số
với số CCCD mới, xin ở đâu ạ". The classifier weighs every word, and the situation's ("bổ sung giấy",
"điều kiện", "sắp cưới") often outweigh the two words of the question, so the answer was the papers or
the time. Placed after ``IntentEvidence``, before the FallbackClassifier: when the last clause of the
message is a question of place and the classifier chose another aspect of a procedure, the place is
asked (with the leader's confidence, so the FallbackClassifier still judges the message). A place asked
for a form ("lấy mẫu tờ khai ở đâu") or for the online service is left to the classifier.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from vntext.normalize import normalize, strip_accents

WHERE = "ask_where_to_submit"
# The aspects of a procedure the place question overrides (not a dossier's status: "hồ sơ … ở đâu").
_ASPECTS = {
    "ask_documents",
    "ask_fee",
    "ask_processing_time",
    "ask_procedure_steps",
    "ask_conditions",
    "ask_legal_basis",
    "inform",
}
_PARTICLES = r"(?:\s+(?:a|ad|vay|the|nhe|nha|ha|ah|z|nhi|day|ban|em|chi|anh|oi))*"
_ASKS_WHERE = re.compile(
    rf"\b(?:o dau|tai dau|nop dau|lam dau|xin dau|o cho nao|cho nao|noi nao|co quan nao|o so nao|"
    rf"o phong nao){_PARTICLES}\s*$"
)
# Where a form is found, or the online service, is another aspect.
_OTHER_PLACE = re.compile(r"\b(?:mau|to khai|bieu mau|truc tuyen|online|qua mang|cong dich vu)\b")


def closing_clause(text: str) -> str:
    """The last clause of the message, accent-folded and lowercased."""
    folded = strip_accents(normalize(text)).lower()
    clauses = [c.strip() for c in re.split(r"[,.;:!?\n]+", folded) if c.strip()]
    return clauses[-1] if clauses else ""


def asks_where_last(text: str) -> bool:
    clause = closing_clause(text)
    return bool(_ASKS_WHERE.search(clause)) and not _OTHER_PLACE.search(clause)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ClosingQuestion(GraphComponent):
    """Reads a closing question of place as ``ask_where_to_submit`` (see the module's docstring)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClosingQuestion:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            ask_where_if_last(message)
        return messages


def ask_where_if_last(message: Message) -> None:
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) not in _ASPECTS or not asks_where_last(message.get(TEXT) or ""):
        return
    ranking = message.get(INTENT_RANKING_KEY) or []
    # The classifier's belief that a procedure's aspect is asked; the closing clause says which.
    belief = sum(r.get("confidence", 0.0) for r in ranking if r.get(INTENT_NAME_KEY) in _ASPECTS | {WHERE})
    where = {INTENT_NAME_KEY: WHERE, "confidence": max(belief, intent.get("confidence", 0.0))}
    message.set(INTENT, where, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [where, *(r for r in ranking if r.get(INTENT_NAME_KEY) != WHERE)],
        add_to_output=True,
    )
