"""Dossier status: the form validator (code format, optional second factor) and the lookup itself,
which also subscribes the conversation to the dossier's changes when the citizen asked for that."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback_actions import answer_feedback_status
from actions.runtime import get_services
from actions.tracker_info import channel_of, client_network_of, latest_text
from assistant.database import DatabaseUnavailable, utcnow
from assistant.dossiers.answer import (
    already_subscribed_text,
    dossier_status_text,
    incomplete_digits_text,
    malformed_code_text,
    no_code_text,
    not_found_text,
    nothing_to_follow_text,
    rate_limited_text,
    second_factor_hint,
    second_factor_locked_text,
    subscribe_needs_digits_text,
    subscribed_text,
    subscription_failed_text,
    unavailable_text,
)
from assistant.dossiers.second_factor import asks_personal_details, last_four_beside
from assistant.dossiers.store import DossierLookupUnavailable, DossierRecord
from assistant.dossiers.subscriptions import FINAL_STATUSES
from assistant.handling_ratings import RATEABLE, rating_invitation, rating_link
from vntext.dossier_codes import (
    canonical_dossier_code,
    find_dossier_codes,
    looks_like_attempted_code,
)
from vntext.normalize import normalize, strip_accents
from vntext.tracking_numbers import find_tracking_number

log = logging.getLogger(__name__)


class ValidateDossierStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_dossier_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        text = latest_text(tracker)
        wants_second_factor = (
            tracker.get_slot("requested_slot") == "phone_last4"
            or tracker.get_slot("phone_last4") is not None
            or asks_personal_details(text)
            or last_four_beside(text) is not None
        )
        return ["dossier_code", "phone_last4"] if wants_second_factor else ["dossier_code"]

    async def extract_phone_last4(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") == "phone_last4":
            return {}  # the domain's from_text mapping takes the whole answer
        entity = next(tracker.get_latest_entity_values("phone_number"), None)
        digits = re.sub(r"\D", "", str(entity)) if entity else last_four_beside(latest_text(tracker))
        return {"phone_last4": digits[-4:]} if digits and len(digits) >= 4 else {}

    async def extract_dossier_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # At activation only the code entity fills the slot; a malformed code in the first message
        # ("kiem tra ho so H56.14-26111-0021") is taken too, so the validator can show the format.
        if tracker.get_slot("requested_slot") is not None or tracker.get_slot("dossier_code"):
            return {}
        text = latest_text(tracker)
        return {"dossier_code": text} if looks_like_attempted_code(text) else {}

    def validate_dossier_code(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        raw = str(slot_value or "")
        # The NLU may have cut the entity short ("H56.14"); the whole message says what was typed.
        typed = latest_text(tracker) or raw
        code = canonical_dossier_code(raw) or next(iter(find_dossier_codes(f"{raw} {typed}")), None)
        if code is not None:
            return {"dossier_code": code}
        attempted = looks_like_attempted_code(raw) or looks_like_attempted_code(typed)
        dispatcher.utter_message(text=malformed_code_text(typed) if attempted else no_code_text())
        return {"dossier_code": None}

    def validate_phone_last4(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        digits = re.sub(r"\D", "", str(slot_value or ""))
        if len(digits) >= 4:
            return {"phone_last4": digits[-4:]}
        dispatcher.utter_message(text=incomplete_digits_text())
        return {"phone_last4": None}


class ActionCheckDossierStatus(Action):
    def name(self) -> str:
        return "action_check_dossier_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reset: list[EventType] = [SlotSet("dossier_code", None), SlotSet("phone_last4", None)]
        raw_code = str(tracker.get_slot("dossier_code") or "")
        last4 = tracker.get_slot("phone_last4")
        subscribe = bool(tracker.get_slot("subscribe_pending"))
        return reset + await answer_status(
            dispatcher, tracker, raw_code, str(last4) if last4 else None, subscribe=subscribe
        )


# Words that may come with the digits of a second factor ("đuôi số điện thoại 5678", "4 số cuối là 7890").
_SECOND_FACTOR_WORDS = re.compile(
    r"\b(?:so|cuoi|duoi|dien|thoai|dt|sdt|la|cua|toi|em|minh|day|nhe|a|ad|bon|4)\b|[^\w\s]"
)


def sends_a_second_factor(tracker: Tracker) -> bool:
    """Whether the message is the last phone digits for the dossier just looked up, whatever intent the
    classifier gave it: four digits or more, with nothing but the words that say so."""
    if not tracker.get_slot("last_dossier_code"):
        return False
    text = latest_text(tracker)
    rest = _SECOND_FACTOR_WORDS.sub(" ", strip_accents(normalize(re.sub(r"\d", " ", text))).lower())
    return last_four_beside(text) is not None and not rest.strip()


class ActionVerifySecondFactor(Action):
    """The last 4 phone digits sent on their own ("7890", "4 số cuối là 7890") after a status answer:
    the second factor for the dossier just looked up."""

    def name(self) -> str:
        return "action_verify_second_factor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        code = tracker.get_slot("last_dossier_code")
        entity = next(tracker.get_latest_entity_values("phone_last4"), None)
        digits = re.sub(r"\D", "", str(entity or "")) or last_four_beside(latest_text(tracker)) or ""
        if not code:
            dispatcher.utter_message(text=no_code_text())
            return []
        if len(digits) < 4:
            dispatcher.utter_message(text=incomplete_digits_text())
            return []
        feedback_number = find_tracking_number(str(code))
        if feedback_number is not None:  # the last status answer was about a feedback
            return await answer_feedback_status(dispatcher, tracker, feedback_number, digits[-4:])
        subscribe = bool(tracker.get_slot("subscribe_pending"))
        return await answer_status(dispatcher, tracker, str(code), digits[-4:], subscribe=subscribe)


async def answer_status(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    raw_code: str,
    last4: str | None,
    *,
    subscribe: bool = False,
) -> list[EventType]:
    """Look the dossier up and say its status; personal details only with matching phone digits.

    Returns ``last_dossier_code`` set while the citizen may still send the digits for it, and
    ``verified_dossier_code`` once they did. ``subscribe``: the citizen asked to be told of its changes,
    which they are once the second factor is through.
    """
    services = get_services()
    settings = services.settings
    code = canonical_dossier_code(raw_code)
    if code is None:
        dispatcher.utter_message(text=malformed_code_text(raw_code) if raw_code else no_code_text())
        return []
    minutes = max(1, settings.lookup_rate_window_seconds // 60)
    admitted = await services.lookup_guard.admit(
        code, requester=tracker.sender_id, network=client_network_of(tracker)
    )
    if not admitted.allowed:
        log.warning("dossier lookup rate limit reached")
        dispatcher.utter_message(text=rate_limited_text(minutes, settings.hotline))
        return []
    started = time.perf_counter()
    try:
        record = await asyncio.to_thread(services.dossiers.lookup, code)
    except DossierLookupUnavailable as exc:
        log.error("dossier lookup failed: %s", exc)
        dispatcher.utter_message(text=unavailable_text(settings.hotline, settings.portal_url))
        return []
    log.info("dossier lookup in %.1f ms (found=%s)", (time.perf_counter() - started) * 1000, bool(record))
    if record is None:
        dispatcher.utter_message(text=not_found_text(code, settings.hotline, settings.portal_url))
        return [SlotSet("last_dossier_code", None)]
    locked = bool(last4) and await services.lookup_guard.second_factor_locked(code)
    verified = not locked and bool(last4) and record.phone_matches(str(last4), settings.phone_hash_secret)
    if last4 and not locked and not verified:
        await services.lookup_guard.record_miss(code)
    text = dossier_status_text(
        record,
        now=utcnow(),
        due_soon_days=settings.due_soon_days,
        hotline=settings.hotline,
        personal_shown=verified,
        phone_mismatch=bool(last4) and not verified and not locked,
    )
    dispatcher.utter_message(text=text)
    if locked:
        dispatcher.utter_message(text=second_factor_locked_text(minutes, settings.hotline))
        return [SlotSet("last_dossier_code", None)]
    if (verified or record.phone_last4_hash is None) and record.status in RATEABLE:
        # The holder (second factor given) may rate how the dossier was handled.
        link = rating_link(settings.public_url, record.code, settings.phone_hash_secret)
        dispatcher.utter_message(text=rating_invitation(link))
    if verified or record.phone_last4_hash is None:
        # No phone hash: a one-stop-shop record, which holds no personal data to protect.
        events: list[EventType] = [SlotSet("last_dossier_code", None), SlotSet("verified_dossier_code", code)]
        return events + (await subscribe_to(dispatcher, tracker, record) if subscribe else [])
    if not last4:
        dispatcher.utter_message(
            text=subscribe_needs_digits_text(code) if subscribe else second_factor_hint()
        )
    return [SlotSet("last_dossier_code", code)]


async def subscribe_to(
    dispatcher: CollectingDispatcher, tracker: Tracker, record: DossierRecord
) -> list[EventType]:
    """Subscribe this conversation to a dossier whose second factor it passed, and say so."""
    done: list[EventType] = [SlotSet("subscribe_pending", False)]
    if record.status in FINAL_STATUSES:
        dispatcher.utter_message(text=nothing_to_follow_text(record.code, record.status.info.label))
        return done
    services = get_services()
    try:
        new = await asyncio.to_thread(
            services.subscriptions.subscribe, record.code, tracker.sender_id, record.status
        )
    except DatabaseUnavailable as exc:
        log.error("subscription not stored: %s", exc)
        dispatcher.utter_message(text=subscription_failed_text(services.settings.hotline))
        return done
    text = subscribed_text(record.code, channel_of(tracker)) if new else already_subscribed_text(record.code)
    dispatcher.utter_message(text=text)
    return done
