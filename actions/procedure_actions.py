"""The answer actions, one per aspect intent, all sharing the procedure lookup and the formatter."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dossier_actions import ActionVerifySecondFactor, sends_a_second_factor
from actions.runtime import get_services
from actions.tracker_info import OFFERED_SLOT, latest_text
from assistant.procedures.addresses import Place, resolve_place, without_address
from assistant.procedures.answers import (
    AnswerContext,
    Aspect,
    Reply,
    answer,
    candidates_text,
    not_found_text,
    other_candidates_text,
    overview,
    search_unavailable_text,
)
from assistant.procedures.asked_aspect import asks_what_about
from assistant.procedures.follow_up import asked_paper
from assistant.procedures.lookup import Ambiguous, Clarify, Found, Resolution, resolve_procedure
from assistant.procedures.payloads import FULL, choice_payload
from assistant.services import Services
from search_index.catalogue import Procedure
from search_index.errors import InvalidQuery

log = logging.getLogger(__name__)


class ProcedureAction(Action, ABC):
    """Find the procedure the message means (or the one being discussed), then answer about it."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if sends_a_second_factor(tracker):
            # "đuôi số điện thoại 5678" after a status answer, taken for a question by the classifier.
            return await ActionVerifySecondFactor().run(dispatcher, tracker, domain)
        services = get_services()
        settings = services.settings
        ctx = AnswerContext(settings.hotline, settings.portal_url, settings.max_message_chars)
        events = self.remembered()
        try:
            resolution = await asyncio.to_thread(self._resolve, services, tracker)
        except InvalidQuery:
            dispatcher.utter_message(text=not_found_text(ctx))
            return events
        except Exception:
            log.exception("procedure search failed")
            dispatcher.utter_message(text=search_unavailable_text(ctx))
            return events
        if isinstance(resolution, Clarify):
            # Two variants of one procedure stay open: a clerk's question, each answer a button.
            dispatcher.utter_message(
                text=resolution.question,
                buttons=[
                    {"title": label, "payload": choice_payload(code)} for label, code in resolution.options
                ],
            )
            # Answered in words ("cháu 9 tuổi") as well as by a tap.
            return [*events, SlotSet(OFFERED_SLOT, [code for _, code in resolution.options])]
        if isinstance(resolution, Ambiguous):
            offer_procedures(dispatcher, candidates_text(), resolution.candidates)
            # The citizen may answer in words ("liên thông vậy thì bao lâu") or ask before choosing.
            return [*events, SlotSet(OFFERED_SLOT, [p.code for p in resolution.candidates])]
        if tracker.get_slot(OFFERED_SLOT):
            events.append(SlotSet(OFFERED_SLOT, None))  # the choice is answered or dropped
        if not isinstance(resolution, Found):
            dispatcher.utter_message(text=not_found_text(ctx))
            return events
        procedure = resolution.procedure
        reply = await self.reply(procedure, ctx, tracker)
        send_reply(dispatcher, reply)
        if resolution.alternatives:
            # A best guess: the answer, and a way to the procedures that came close.
            offer_procedures(dispatcher, other_candidates_text(), resolution.alternatives)
        return [*events, SlotSet("procedure_code", procedure.code), SlotSet("procedure_name", procedure.name)]

    def remembered(self) -> list[EventType]:
        """What the conversation keeps of this answer besides the procedure (the aspect asked)."""
        return []

    @abstractmethod
    async def reply(self, procedure: Procedure, ctx: AnswerContext, tracker: Tracker) -> Reply:
        """The answer about the procedure found."""

    def search_text(self, tracker: Tracker) -> str:
        return latest_text(tracker)

    def _resolve(self, services: Services, tracker: Tracker) -> Resolution:
        return resolve_procedure(
            services.procedures,
            chosen_code=next(tracker.get_latest_entity_values("procedure_code"), None),
            text=self.search_text(tracker),
            conversation_code=tracker.get_slot("procedure_code"),
            ambiguity_margin=services.settings.ambiguity_margin,
            offered=tracker.get_slot(OFFERED_SLOT) or (),
        )


class ProcedureAnswerAction(ProcedureAction, ABC):
    @property
    @abstractmethod
    def aspect(self) -> Aspect:
        """The aspect this action answers (subclasses set it as a class attribute)."""

    def name(self) -> str:
        return f"action_answer_{self.aspect.value}"

    def remembered(self) -> list[EventType]:
        return [SlotSet("last_aspect", self.aspect.value)]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if asks_what_about(latest_text(tracker)):
            # "thế còn tách thửa thì sao": the classifier hears a question about steps.
            action = what_about_action(tracker)
            if action is not self:
                return await action.run(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    def search_text(self, tracker: Tracker) -> str:
        text = latest_text(tracker)
        if self.aspect == Aspect.WHERE_TO_SUBMIT:
            # The citizen's address names places, not procedures: keep it out of the search.
            text = without_address(text)
        return text

    async def reply(self, procedure: Procedure, ctx: AnswerContext, tracker: Tracker) -> Reply:
        if self.aspect == Aspect.WHERE_TO_SUBMIT:
            place = await asyncio.to_thread(_place_of, tracker)
            ctx = dataclasses.replace(ctx, place=place)
        if self.aspect == Aspect.DOCUMENTS:
            ctx = dataclasses.replace(ctx, paper=asked_paper(latest_text(tracker)))
        full = next(tracker.get_latest_entity_values("detail"), None) == FULL
        return answer(self.aspect, procedure, ctx, full=full)


class ActionAnswerOverview(ProcedureAction):
    """A procedure named with no question about it: a short card and a button for each aspect.

    Right after an aspect answer, a bare message ("ở Hà Nội", "còn kết hôn thì sao") carries
    on with that aspect instead."""

    def name(self) -> str:
        return "action_answer_overview"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        last = _ANSWERS.get(str(tracker.get_slot("last_aspect") or ""))
        if last is not None and tracker.latest_message.get("intent", {}).get("name") == "inform":
            return await last.run(dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    def remembered(self) -> list[EventType]:
        # The next name the citizen gives is a new overview, not an answer about the last aspect.
        return [SlotSet("last_aspect", None)]

    async def reply(self, procedure: Procedure, ctx: AnswerContext, tracker: Tracker) -> Reply:
        return overview(procedure, ctx)


def send_reply(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """The messages in order, the buttons under the last one."""
    for index, text in enumerate(reply.messages):
        last = index == len(reply.messages) - 1
        buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons] if last else []
        dispatcher.utter_message(text=text, buttons=buttons)


def offer_procedures(dispatcher: CollectingDispatcher, text: str, procedures: Sequence[Procedure]) -> None:
    """``text`` with one button per procedure, each choosing it."""
    dispatcher.utter_message(
        text=text, buttons=[{"title": p.name, "payload": choice_payload(p.code)} for p in procedures]
    )


def _place_of(tracker: Tracker) -> Place | None:
    """The address the message gives (from its location entity or its whole text, the one naming a
    ward first: the entity of "phường Bến Nghé, TP HCM" may be the city alone), else the location slot."""
    entity = next(tracker.get_latest_entity_values("location"), None)
    given = [p for text in (entity, latest_text(tracker)) if text and (p := resolve_place(str(text)))]
    if given:
        return next((p for p in given if p.ward is not None), given[0])
    remembered = tracker.get_slot("location")
    return resolve_place(str(remembered)) if remembered else None


class ActionAnswerDocuments(ProcedureAnswerAction):
    aspect = Aspect.DOCUMENTS


class ActionAnswerFee(ProcedureAnswerAction):
    aspect = Aspect.FEE


class ActionAnswerProcessingTime(ProcedureAnswerAction):
    aspect = Aspect.PROCESSING_TIME


class ActionAnswerWhereToSubmit(ProcedureAnswerAction):
    aspect = Aspect.WHERE_TO_SUBMIT


class ActionAnswerProcedureSteps(ProcedureAnswerAction):
    aspect = Aspect.PROCEDURE_STEPS


class ActionAnswerOnlineService(ProcedureAnswerAction):
    aspect = Aspect.ONLINE_SERVICE


class ActionAnswerConditions(ProcedureAnswerAction):
    aspect = Aspect.CONDITIONS


class ActionAnswerLegalBasis(ProcedureAnswerAction):
    aspect = Aspect.LEGAL_BASIS


class ActionAnswerForms(ProcedureAnswerAction):
    aspect = Aspect.FORMS


_ANSWERS: dict[str, ProcedureAnswerAction] = {
    action.aspect.value: action
    for action in (
        ActionAnswerDocuments(),
        ActionAnswerFee(),
        ActionAnswerProcessingTime(),
        ActionAnswerWhereToSubmit(),
        ActionAnswerProcedureSteps(),
        ActionAnswerOnlineService(),
        ActionAnswerConditions(),
        ActionAnswerLegalBasis(),
        ActionAnswerForms(),
    )
}


def what_about_action(tracker: Tracker) -> ProcedureAction:
    """The action for "còn … thì sao": the last answer's question (after an overview, a new overview) of
    what the message names."""
    return _ANSWERS.get(str(tracker.get_slot("last_aspect") or "")) or ActionAnswerOverview()


def answer_action(aspect: Aspect) -> ProcedureAnswerAction:
    """The action that answers an aspect (the fallback uses it for a question the classifier missed)."""
    return _ANSWERS[aspect.value]
