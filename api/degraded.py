"""Answers from the procedure search alone, for when Rasa is down or too slow.

Without the NLU, the aspect asked (documents, fee, time…) is read from keywords; the procedure is
resolved and the answer written by the very code the action server uses (``assistant.procedures.lookup``,
``assistant.procedures.answers``), so a degraded answer says the same things a normal one would.
"""

from __future__ import annotations

from api.schemas import Button, ChatMessage
from assistant.procedures.answers import (
    AnswerContext,
    Aspect,
    answer,
    candidates_text,
    not_found_text,
    search_unavailable_text,
)
from assistant.procedures.lookup import (
    Ambiguous,
    Found,
    ProcedureFinder,
    choice_payload,
    chosen_code,
    resolve_procedure,
)
from vntext.normalize import normalize, strip_accents

# Checked in order on the accent-folded message; the first that matches decides. Documents otherwise.
_ASPECT_KEYWORDS: list[tuple[Aspect, tuple[str, ...]]] = [
    (Aspect.FEE, ("le phi", "phi ", "bao nhieu tien", "mat tien", "chi phi")),
    (Aspect.PROCESSING_TIME, ("bao lau", "may ngay", "thoi gian", "thoi han", "khi nao co")),
    (Aspect.WHERE_TO_SUBMIT, ("o dau", "noi nop", "cho nao", "nop tai", "co quan nao")),
    (Aspect.ONLINE_SERVICE, ("truc tuyen", "online", "qua mang", "buu chinh", "buu dien")),
    (Aspect.FORMS, ("mau don", "to khai", "bieu mau")),
    (Aspect.CONDITIONS, ("dieu kien",)),
    (Aspect.LEGAL_BASIS, ("can cu", "van ban phap", "luat nao", "nghi dinh")),
    (Aspect.PROCEDURE_STEPS, ("cac buoc", "trinh tu", "quy trinh", "lam the nao", "thu tuc the nao")),
]


def guess_aspect(text: str) -> Aspect:
    folded = strip_accents(normalize(text)) + " "
    for aspect, keywords in _ASPECT_KEYWORDS:
        if any(k in folded for k in keywords):
            return aspect
    return Aspect.DOCUMENTS


def search_only_answer(
    finder: ProcedureFinder | None, text: str, ctx: AnswerContext, margin: float
) -> list[ChatMessage]:
    """Blocking (search runs the model): call it from a worker thread."""
    notice = ChatMessage(
        text="Dạ, hệ thống trợ lý đang bận nên tạm thời tôi chỉ tra cứu nhanh được trong danh mục thủ tục. "
        f"Cần hỗ trợ thêm, bạn vui lòng gọi đường dây nóng {ctx.hotline}.",
        source="search",
    )
    if finder is None:
        return [notice, ChatMessage(text=search_unavailable_text(ctx), source="search")]
    try:
        resolution = resolve_procedure(
            finder,
            chosen_code=chosen_code(text),
            entity=None,
            text=text,
            conversation_code=None,
            ambiguity_margin=margin,
        )
    except Exception:  # invalid query or a failing index: the citizen still gets a polite answer
        return [notice, ChatMessage(text=not_found_text(ctx), source="search")]
    if isinstance(resolution, Found):
        texts = answer(guess_aspect(text), resolution.procedure, ctx)
        return [notice, *(ChatMessage(text=t, source="search") for t in texts)]
    if isinstance(resolution, Ambiguous):
        buttons = [Button(title=p.name, payload=choice_payload(p.code)) for p in resolution.candidates]
        return [notice, ChatMessage(text=candidates_text(), buttons=buttons, source="search")]
    return [notice, ChatMessage(text=not_found_text(ctx), source="search")]
