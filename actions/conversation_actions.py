"""Handing the conversation to a person, and what to say when the assistant did not understand."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dossier_actions import ActionVerifySecondFactor, answer_status, sends_a_second_factor
from actions.procedure_actions import answer_action, offer_procedures, send_reply, what_about_action
from actions.runtime import get_services
from actions.tracker_info import OFFERED_SLOT, channel_of, latest_intent, latest_text
from assistant.database import DatabaseUnavailable, utcnow
from assistant.dossiers.second_factor import last_four_beside
from assistant.handoffs import handoff_reply_text
from assistant.procedures.answers import (
    AnswerContext,
    Reply,
    aspect_buttons,
    candidates_text,
    other_candidates_text,
    overview,
)
from assistant.procedures.asked_aspect import asked_aspect, asks_what_about
from assistant.procedures.lookup import (
    Ambiguous,
    Clarify,
    Found,
    content_words,
    pairs_of_its_name,
    resolve_procedure,
    says_its_words,
    variant_described,
)
from assistant.procedures.payloads import choice_payload
from vntext.dossier_codes import find_dossier_codes

log = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"


class ActionHandoffToHuman(Action):
    def name(self) -> str:
        return "action_handoff_to_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        services = get_services()
        hotline = services.settings.hotline
        reason = "hỏi lại nhiều lần không được" if _misses_in_a_row(tracker) >= 2 else "công dân yêu cầu"
        now = utcnow()
        hours = services.settings.working_hours()
        after_hours = not hours.is_open(now)
        try:
            handoff = await asyncio.to_thread(
                services.handoffs.request,
                conversation_id=tracker.sender_id,
                channel=channel_of(tracker),
                sender_id=tracker.sender_id,
                reason=f"{reason} ({latest_intent(tracker) or 'không rõ ý định'})",
                last_message=_last_citizen_question(tracker)[:2000],
                after_hours=after_hours,
            )
            position = await asyncio.to_thread(services.handoffs.queue_position, tracker.sender_id)
        except DatabaseUnavailable as exc:
            log.error("handoff request could not be stored: %s", exc)
            dispatcher.utter_message(
                text="Xin lỗi, hiện tôi chưa chuyển được yêu cầu tới cán bộ. Bạn vui lòng gọi đường dây nóng "
                f"{hotline} để được hỗ trợ trực tiếp ạ."
            )
            return []
        text = handoff_reply_text(
            handoff,
            position=position,
            opening=hours.next_opening(now) if after_hours else None,
            now=now,
            hotline=hotline,
        )
        dispatcher.utter_message(text=text)
        return []


# The lead a procedure needs in the search for the fallback to show its card alone: stricter than
# AMBIGUITY_MARGIN, as the classifier found no question in the message. 0.6 from the table of
# `make tune-rerank`: 75 % of our 919 tune queries answered alone, 93 % of those right. A smaller lead
# shows the best card with the others that came close as buttons, as a question's answer does.
FALLBACK_MARGIN = 0.6


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if sends_a_second_factor(tracker):
            return await ActionVerifySecondFactor().run(dispatcher, tracker, domain)
        text = latest_text(tracker)
        if codes := find_dossier_codes(text):
            # A receipt code the classifier did not read as a question ("H56.14-… toi dau roi ad").
            return await answer_status(dispatcher, tracker, codes[0], last_four_beside(text))
        if (aspect := asked_aspect(text)) is not None:
            # A question the classifier missed that its words still tell ("Kính gửi …, xin hỏi thủ tục
            # … cần những giấy tờ gì?"): answered as that aspect's action would.
            return await answer_action(aspect).run(dispatcher, tracker, domain)
        code = tracker.get_slot("procedure_code")
        if code and asks_what_about(text):
            # "còn tạm ngừng thì sao" in a conversation: the last answer's question of what it names.
            return await what_about_action(tracker).run(dispatcher, tracker, domain)
        # Not understood as a question, but it may name a procedure ("chấm dứt hộ kinh doanh"): when the
        # search knows it, that is no dead end — show its card.
        answered = await _answer_named_procedure(
            dispatcher, text, offered=tracker.get_slot(OFFERED_SLOT) or (), current_code=code
        )
        if answered is not None:
            return answered
        misses = _misses_in_a_row(tracker)
        if misses < 2 and code and (procedure := get_services().procedures.get(str(code))) is not None:
            # In a conversation about a procedure ("báo cho ai"): its aspects, not an apology.
            text = f"Tôi chưa rõ bạn hỏi gì về thủ tục “{procedure.name}”. Bạn chọn điều cần biết ạ:"
            send_reply(dispatcher, Reply([text], aspect_buttons(procedure)))
            return []
        if misses >= 2:
            dispatcher.utter_message(
                text="Xin lỗi, tôi vẫn chưa hiểu câu hỏi. "
                "Bạn muốn gặp cán bộ hỗ trợ hay hỏi lại theo cách khác?",
                buttons=[
                    {"title": "Gặp cán bộ", "payload": "/request_human"},
                    {"title": "Hỏi lại", "payload": "/affirm"},
                ],
            )
        else:
            dispatcher.utter_message(
                text="Xin lỗi, tôi chưa hiểu ý bạn. Bạn có thể hỏi lại ngắn gọn, "
                "nêu tên thủ tục và điều cần biết, "
                'ví dụ: "làm căn cước cần giấy tờ gì" hoặc "lệ phí đăng ký kết hôn".'
            )
        return []


class ActionOutOfScope(Action):
    """Out of scope, unless the message names a procedure the search is sure of: the classifier takes
    some citizens' situations for small talk ("nghỉ dưỡng sức sau sinh có được tiền không")."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Stricter than the fallback: the message must say the procedure's own words (``says_its_words``);
        # "đặt phòng khách sạn" reaches the security licence of hotels only through an everyday name.
        answered = await _answer_named_procedure(dispatcher, latest_text(tracker), literal=True)
        if answered is not None:
            return answered
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


async def _answer_named_procedure(
    dispatcher: CollectingDispatcher,
    text: str,
    *,
    literal: bool = False,
    offered: Sequence[str] = (),
    current_code: str | None = None,
) -> list[EventType] | None:
    """The card of the procedure the text names (with the others that came close as buttons when it
    leads by little), the clerk's question between two variants of it, or — when the best names nothing
    of the text but a few next ones do — a choice between them; None (nothing said) otherwise.
    ``literal``: only a procedure the text names in its own words.
    ``offered``: the choice just offered, which the text may answer in words; ``current_code``: the
    procedure discussed, whose variant the text may describe."""
    named = await asyncio.to_thread(_procedure_named_in, text, offered, current_code)
    if literal:
        named = _in_its_own_words(text, named)
    if isinstance(named, Ambiguous):
        # Procedures that fit the message, none clearly first: a choice, not an apology.
        offer_procedures(dispatcher, candidates_text(), named.candidates)
        return [SlotSet(OFFERED_SLOT, [p.code for p in named.candidates])]
    if isinstance(named, Clarify):
        dispatcher.utter_message(
            text=named.question,
            buttons=[{"title": label, "payload": choice_payload(code)} for label, code in named.options],
        )
        return [SlotSet(OFFERED_SLOT, [code for _, code in named.options])]
    if not isinstance(named, Found):
        return None
    settings = get_services().settings
    ctx = AnswerContext(settings.hotline, settings.portal_url, settings.max_message_chars)
    send_reply(dispatcher, overview(named.procedure, ctx))
    if named.alternatives:
        # A best guess: its card, and a way to the procedures that came close.
        offer_procedures(dispatcher, other_candidates_text(), named.alternatives)
    return [
        SlotSet("last_aspect", None),
        SlotSet("procedure_code", named.procedure.code),
        SlotSet("procedure_name", named.procedure.name),
    ]


def _in_its_own_words(text: str, named: Found | Clarify | Ambiguous | None) -> Found | Ambiguous | None:
    """What the text names in the procedures' own words: a clear lead found, or — without one — the
    best guess and the others narrowed to those it names so ("chứng thực chữ ký người dịch … phí bao
    nhiu": four records of that name, each with two pairs of words or more in the message)."""
    if isinstance(named, Found) and not named.alternatives:
        return named if says_its_words(text, named.procedure) else None
    if isinstance(named, Found | Ambiguous):
        # In a longer message one pair is too little: "viết giúp em cái CV xin việc kế toán" says only
        # "kế toán"; "đăng ký xe" is all name.
        needed = 1 if len(content_words(text)) <= 3 else 2
        fitting = [named.procedure, *named.alternatives] if isinstance(named, Found) else named.candidates
        said = [p for p in fitting if pairs_of_its_name(text, p) >= needed]
        if isinstance(named, Found) and said and said[0] == named.procedure:
            return Found(named.procedure, tuple(said[1:]))
        return Ambiguous(said) if said else None
    return None


def _procedure_named_in(
    text: str, offered: Sequence[str] = (), current_code: str | None = None
) -> Found | Clarify | Ambiguous | None:
    """What the search makes of the text: the procedure it names (with the next ones when it leads by
    little), the question that decides between two variants, the procedures that fit; the variant of
    the current procedure it describes; None when nothing fits (or on any error)."""
    if not text.strip():
        return None
    services = get_services()
    try:
        current = services.procedures.get(current_code) if current_code else None
        if current is not None and (variant := variant_described(services.procedures, text, current)):
            return Found(variant)
        resolution = resolve_procedure(
            services.procedures,
            chosen_code=None,
            text=text,
            conversation_code=None,
            # Not understood by the classifier: only a clear lead counts (97 % right on our tune queries).
            ambiguity_margin=max(services.settings.ambiguity_margin, FALLBACK_MARGIN),
            offered=offered,
        )
    except Exception:  # a failing index must not turn an apology into an error
        log.exception("procedure search failed in the fallback")
        return None
    return resolution if isinstance(resolution, Found | Clarify | Ambiguous) else None


def _misses_in_a_row(tracker: Tracker) -> int:
    """How many of the citizen's latest messages in a row were not understood (this one included)."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        misses += 1
    return misses


def _last_citizen_question(tracker: Tracker) -> str:
    """The last real question before the request, so the operator sees what the citizen needed."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            text = str(event.get("text") or "")
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if text and not text.startswith("/") and intent != "request_human":
                return text
    return latest_text(tracker)
