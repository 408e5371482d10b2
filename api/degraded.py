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
    Reply,
    answer,
    candidates_text,
    not_found_text,
    overview,
    search_unavailable_text,
)
from assistant.procedures.asked_aspect import asked_aspect
from assistant.procedures.lookup import Ambiguous, Clarify, Found, ProcedureFinder, resolve_procedure
from assistant.procedures.payloads import choice_payload, read_payload


def guess_aspect(text: str) -> Aspect | None:
    payload = read_payload(text)
    if payload is not None:
        return next((a for a in Aspect if payload.intent == f"ask_{a.value}"), None)
    return asked_aspect(text)


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
    payload = read_payload(text)
    try:
        resolution = resolve_procedure(
            finder,
            chosen_code=payload.procedure_code if payload else None,
            text=text,
            conversation_code=None,
            ambiguity_margin=margin,
            guess=False,
        )
    except Exception:  # invalid query or a failing index: the citizen still gets a polite answer
        return [notice, ChatMessage(text=not_found_text(ctx), source="search")]
    if isinstance(resolution, Found):
        aspect = guess_aspect(text)
        full = bool(payload and payload.full)
        procedure = resolution.procedure
        reply = answer(aspect, procedure, ctx, full=full) if aspect else overview(procedure, ctx)
        return [notice, *_messages(reply)]
    if isinstance(resolution, Clarify):
        buttons = [Button(title=label, payload=choice_payload(code)) for label, code in resolution.options]
        return [notice, ChatMessage(text=resolution.question, buttons=buttons, source="search")]
    if isinstance(resolution, Ambiguous):
        buttons = [Button(title=p.name, payload=choice_payload(p.code)) for p in resolution.candidates]
        return [notice, ChatMessage(text=candidates_text(), buttons=buttons, source="search")]
    return [notice, ChatMessage(text=not_found_text(ctx), source="search")]


def _messages(reply: Reply) -> list[ChatMessage]:
    messages = [ChatMessage(text=text, source="search") for text in reply.messages]
    if messages and reply.buttons:
        messages[-1].buttons = [Button(title=b.title, payload=b.payload) for b in reply.buttons]
    return messages
