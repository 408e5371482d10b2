"""A message that ends by asking one thing ("…, xin ở đâu ạ", "…, hết bao nhiêu tiền") asks that.

Citizens tell their situation first and ask last: "ngân hàng bắt bổ sung giấy xác nhận số CMND cũ 9 số
với số CCCD mới, xin ở đâu ạ". The classifier weighs every word, and the situation's ("bổ sung giấy",
"điều kiện", "sắp cưới") often outweigh the two words of the question, so the answer was the papers or
the time. Placed after ``IntentEvidence``, before the FallbackClassifier: when the last clause of the
message closes with the question of one aspect (place, fee, time, papers) and the classifier chose
another aspect of a procedure, the closing question decides, with the classifier's confidence that some
aspect is asked (the FallbackClassifier still judges). A place asked for a form ("lấy mẫu tờ khai ở
đâu") or for the online service is left to the classifier; so is a dossier's status ("hồ sơ … ở đâu").
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_rewriter import IntentRewriter
from vntext.normalize import normalize, strip_accents

WHERE = "ask_where_to_submit"
# The aspects of a procedure the place question overrides (not a dossier's status: "hồ sơ … ở đâu").
_ASPECTS = {
    WHERE,
    "ask_documents",
    "ask_fee",
    "ask_processing_time",
    "ask_procedure_steps",
    "ask_conditions",
    "ask_legal_basis",
    "inform",
}
_PARTICLES = r"(?:\s+(?:a|ad|vay|the|nhe|nha|ha|ah|z|nhi|day|ban|em|chi|anh|oi|khong|ko|k|chua|roi))*"
# The closing question of each aspect, read at the very end of the last clause.
_CLOSING: dict[str, re.Pattern[str]] = {
    intent: re.compile(rf"\b(?:{cues}){_PARTICLES}\s*$")
    for intent, cues in (
        (
            WHERE,
            "o dau|tai dau|nop dau|lam dau|xin dau|o cho nao|cho nao|noi nao|co quan nao|o so nao|"
            "o phong nao",
        ),
        (
            "ask_fee",
            "bao nhieu tien|het bao nhieu|mat bao nhieu|ton bao nhieu|phi bao nhieu|bao nhieu phi|"
            "co (?:mat|ton) (?:phi|tien)|le phi the nao|phi the nao",
        ),
        ("ask_processing_time", "bao lau|mat bao lau|may ngay|bao nhieu ngay|bao lau thi xong|bao lau co"),
        (
            "ask_documents",
            # Papers named: "gồm những gì" alone closes a question of conditions as well.
            "giay to gi|giay gi|mang theo gi|mang gi",
        ),
    )
}
# Where a form is found, or the online service, is another aspect.
_OTHER_PLACE = re.compile(r"\b(?:mau|to khai|bieu mau|truc tuyen|online|qua mang|cong dich vu)\b")


def closing_clause(text: str) -> str:
    """The last clause of the message, accent-folded and lowercased."""
    folded = strip_accents(normalize(text)).lower()
    clauses = [c.strip() for c in re.split(r"[,.;:!?\n]+", folded) if c.strip()]
    return clauses[-1] if clauses else ""


def closing_aspect(text: str) -> str | None:
    """The aspect the last clause closes by asking, when exactly one does."""
    clause = closing_clause(text)
    asked = [
        intent
        for intent, pattern in _CLOSING.items()
        if pattern.search(clause) and not (intent == WHERE and _OTHER_PLACE.search(clause))
    ]
    return asked[0] if len(asked) == 1 else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ClosingQuestion(IntentRewriter):
    """Lets the closing question of a message decide its aspect (see the module's docstring)."""

    def rewrite(self, message: Message) -> None:
        read_closing_question(message)


def read_closing_question(message: Message) -> None:
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) not in _ASPECTS:
        return
    asked = closing_aspect(message.get(TEXT) or "")
    if asked is None or asked == intent.get(INTENT_NAME_KEY):
        return
    ranking = message.get(INTENT_RANKING_KEY) or []
    # The classifier's belief that a procedure's aspect is asked; the closing clause says which.
    belief = sum(r.get("confidence", 0.0) for r in ranking if r.get(INTENT_NAME_KEY) in _ASPECTS)
    chosen = {INTENT_NAME_KEY: asked, "confidence": max(belief, intent.get("confidence", 0.0))}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [chosen, *(r for r in ranking if r.get(INTENT_NAME_KEY) != asked)],
        add_to_output=True,
    )
