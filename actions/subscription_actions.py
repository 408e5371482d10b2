"""Status notifications asked for in the chat: "báo cho tôi khi hồ sơ có kết quả", and "hủy theo dõi".

A subscription needs the dossier's second factor: the dossier verified in this conversation, or the code
(and digits) given now or in the next messages — the lookup subscribes once they are through
(``dossier_actions.answer_status``, with ``subscribe_pending`` set meanwhile).
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dossier_actions import answer_status, subscribe_to
from actions.runtime import get_services
from actions.tracker_info import latest_text
from assistant.database import DatabaseUnavailable
from assistant.dossiers.answer import (
    nothing_to_unsubscribe_text,
    subscribe_needs_code_text,
    subscribe_needs_digits_text,
    subscription_dropped_text,
    subscription_failed_text,
    unavailable_text,
    unsubscribed_text,
)
from assistant.dossiers.second_factor import last_four_beside
from assistant.dossiers.store import DossierLookupUnavailable
from vntext.dossier_codes import canonical_dossier_code, find_dossier_codes

log = logging.getLogger(__name__)


def _code_in(tracker: Tracker) -> str | None:
    entity = next(tracker.get_latest_entity_values("dossier_code"), None)
    text = latest_text(tracker)
    return canonical_dossier_code(str(entity or "")) or next(iter(find_dossier_codes(text)), None)


class ActionSubscribeDossier(Action):
    def name(self) -> str:
        return "action_subscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending: list[EventType] = [SlotSet("subscribe_pending", True)]
        code = _code_in(tracker)
        if code is not None:  # "báo cho tôi khi hồ sơ H56… có kết quả": looked up, digits first
            last4 = last_four_beside(latest_text(tracker))
            return pending + await answer_status(dispatcher, tracker, code, last4, subscribe=True)
        verified = tracker.get_slot("verified_dossier_code")
        if verified:
            return await self._subscribe_verified(dispatcher, tracker, str(verified))
        looked_up = canonical_dossier_code(str(tracker.get_slot("last_dossier_code") or ""))
        if looked_up:  # shown without the digits: they come next
            dispatcher.utter_message(text=subscribe_needs_digits_text(looked_up))
        else:
            dispatcher.utter_message(text=subscribe_needs_code_text())
        return pending

    async def _subscribe_verified(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, code: str
    ) -> list[EventType]:
        """The dossier whose digits this conversation gave: subscribed from its status as it is now."""
        services = get_services()
        try:
            record = await asyncio.to_thread(services.dossiers.lookup, code)
        except DossierLookupUnavailable as exc:
            log.error("dossier lookup for a subscription failed: %s", exc)
            dispatcher.utter_message(
                text=unavailable_text(services.settings.hotline, services.settings.portal_url)
            )
            return []
        if record is None:
            dispatcher.utter_message(text=subscribe_needs_code_text())
            return [SlotSet("verified_dossier_code", None), SlotSet("subscribe_pending", True)]
        return await subscribe_to(dispatcher, tracker, record)


class ActionUnsubscribeDossier(Action):
    """ "hủy", "dừng", "huy theo doi": the conversation's subscriptions (or the one named) end."""

    def name(self) -> str:
        return "action_unsubscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        services = get_services()
        try:
            ended = await asyncio.to_thread(
                services.subscriptions.unsubscribe, tracker.sender_id, _code_in(tracker)
            )
        except DatabaseUnavailable as exc:
            log.error("unsubscribe failed: %s", exc)
            dispatcher.utter_message(text=subscription_failed_text(services.settings.hotline))
            return []
        if ended:
            dispatcher.utter_message(text=unsubscribed_text(ended))
        elif tracker.get_slot("subscribe_pending"):
            dispatcher.utter_message(text=subscription_dropped_text())
        else:
            dispatcher.utter_message(text=nothing_to_unsubscribe_text())
        return [SlotSet("subscribe_pending", False)]
