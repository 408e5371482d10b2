"""Feedback (phản ánh, kiến nghị) and ratings: validated, stored first, then confirmed to the citizen."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.runtime import get_services
from actions.tracker_info import channel_of, client_network_of, latest_intent, latest_text
from assistant.database import DatabaseUnavailable, utcnow
from assistant.dossiers.answer import rate_limited_text
from assistant.dossiers.second_factor import last_four_beside
from assistant.feedback import (
    Deadlines,
    FeedbackStatus,
    consent_of,
    feedback_category,
    feedback_status_text,
    may_see_answer,
)
from vntext.normalize import folded_words, normalize, strip_accents
from vntext.tracking_numbers import FEEDBACK_CODE_PATTERN, find_tracking_number

log = logging.getLogger(__name__)

MAX_FEEDBACK_CHARS = 20_000
_NO_CONTACT = {"khong", "ko", "k", "khong co", "khong can", "thoi", "no", "khong muon", "khong de lai"}
# "thôi không để lại thông tin đâu": a refusal in words, not an account of what happened.
_DECLINES = re.compile(
    r"\b(?:khong|ko|chua|thoi)(?: (?:muon|can|the))? (?:de lai|cho|gui|cung cap)"
    r"(?: (?:lai|minh|toi|em|duoc|ca))* (?:so|sdt|thong tin|lien he|lien lac|email|dien thoai)\b|"
    r"\bkhong (?:muon )?de lai\b"
)
_PHONE = re.compile(r"(?:\+?84|0)\d{9,10}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


# Words that ask to file feedback and say nothing of what happened ("tôi muốn gửi phản ánh về …").
_REQUEST_WORDS = frozenset(
    {
        *("toi", "minh", "em", "anh", "chi", "chung", "muon", "xin", "gui", "cho", "ve", "viec", "mot"),
        *("phan", "kien", "nghi", "gop", "y", "khieu", "nai", "to", "cao", "chuyen", "ban", "oi", "voi"),
        *("a", "ad", "nhe", "nha", "la", "co", "lam", "sao", "de"),
    }
)
# An account needs this many words of its own: "về thái độ cán bộ" names a topic; a clerk asks what
# happened.
ACCOUNT_WORDS = 6


def account_in(text: str) -> str | None:
    """The message itself when, besides asking to file feedback, it tells what happened."""
    told = [w for w in folded_words(text) if w not in _REQUEST_WORDS]
    return " ".join(text.split()) if len(told) >= ACCOUNT_WORDS else None


class ValidateFeedbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_feedback_form"

    async def extract_feedback_content(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The message that opened the form, when it already tells what happened: noted, not asked again."""
        opening = tracker.get_slot("requested_slot") is None and not tracker.get_slot("feedback_content")
        if not opening or latest_intent(tracker) != "submit_feedback":
            return {}
        told = account_in(latest_text(tracker))
        if told is None:
            return {}
        dispatcher.utter_message(text="Tôi đã ghi lại nội dung phản ánh của bạn.")
        return {"feedback_content": told}

    def validate_feedback_content(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        content = " ".join(str(slot_value or "").split())
        if len(content) < 10 or not re.search(r"[^\W\d_]{2,}", content):
            dispatcher.utter_message(
                text="Nội dung hơi ngắn, bạn vui lòng mô tả rõ hơn sự việc (thủ tục, cơ quan, thời gian) ạ."
            )
            return {"feedback_content": None}
        if len(content) > MAX_FEEDBACK_CHARS:
            dispatcher.utter_message(
                text=f"Nội dung dài quá {MAX_FEEDBACK_CHARS:,} ký tự nên tôi chỉ ghi nhận phần đầu; "
                "bạn có thể gửi phần còn lại trong một phản ánh khác."
            )
            content = content[:MAX_FEEDBACK_CHARS]
        return {"feedback_content": content}

    def validate_feedback_contact(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = " ".join(str(slot_value or "").split())
        plain = strip_accents(normalize(contact)).strip(" .!")
        declines = _DECLINES.search(plain) is not None and len(plain.split()) <= 2 * ACCOUNT_WORDS
        if not contact or plain in _NO_CONTACT or declines or latest_intent(tracker) == "deny":
            return {"feedback_contact": ""}  # answered: no contact (empty, not None, so the form moves on)
        compact = re.sub(r"[\s.\-]", "", contact)
        if _PHONE.search(compact) or _EMAIL.search(contact):
            return {"feedback_contact": contact[:200]}
        if account_in(contact) is not None:
            # More of the account, sent after its first words were noted: added to it, never dropped.
            content = str(tracker.get_slot("feedback_content") or "")
            dispatcher.utter_message(text="Tôi đã ghi thêm vào nội dung phản ánh.")
            added = f"{content}\n{contact}"[:MAX_FEEDBACK_CHARS]
            return {"feedback_content": added, "feedback_contact": None}
        dispatcher.utter_message(
            text='Tôi chưa nhận ra số điện thoại hoặc email. Bạn gửi lại, hoặc nhắn "không" nếu không muốn '
            "để lại liên hệ ạ."
        )
        return {"feedback_contact": None}

    def validate_feedback_consent(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(slot_value, bool):
            return {"feedback_consent": slot_value}
        # The whole answer, when the classifier took "ok đồng ý cho cơ quan gọi lại" for another intent.
        consent = consent_of(str(slot_value or ""))
        if consent is not None:
            return {"feedback_consent": consent}
        dispatcher.utter_message(text='Bạn chọn "Đồng ý" hoặc "Không" giúp tôi ạ.')
        return {"feedback_consent": None}


class ActionSubmitFeedback(Action):
    def name(self) -> str:
        return "action_submit_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        services = get_services()
        content = str(tracker.get_slot("feedback_content") or "").strip()
        if not content:
            dispatcher.utter_message(text="Tôi chưa nhận được nội dung phản ánh. Bạn nhắn lại giúp tôi ạ.")
            return []
        contact = str(tracker.get_slot("feedback_contact") or "") or None
        try:
            # Stored and committed before the citizen is told anything: the number always exists.
            feedback = await asyncio.to_thread(
                services.feedback.submit,
                content=content,
                category=feedback_category(content),
                contact=contact,
                consent=bool(tracker.get_slot("feedback_consent")),
                channel=channel_of(tracker),
                sender_id=tracker.sender_id,
            )
        except DatabaseUnavailable as exc:
            log.error("feedback could not be stored: %s", exc)
            dispatcher.utter_message(
                text="Xin lỗi, hệ thống chưa ghi nhận được phản ánh của bạn do sự cố kỹ thuật. "
                "Bạn vui lòng gửi "
                f"lại sau ít phút hoặc gọi đường dây nóng {services.settings.hotline} ạ."
            )
            return []  # the slots stay filled, so nothing the citizen wrote is thrown away
        log.info("feedback stored as %s", feedback.tracking_number)
        reply = (
            f"Cảm ơn bạn! {feedback.category.capitalize()} của bạn đã được ghi nhận với mã số "
            f"{feedback.tracking_number}. Bạn lưu lại mã này để theo dõi kết quả xử lý."
        )
        if contact and feedback.consent:
            reply += " Cơ quan có thẩm quyền sẽ liên hệ với bạn theo thông tin bạn để lại."
        dispatcher.utter_message(text=reply)
        return [
            SlotSet("filed_feedback_code", feedback.tracking_number),
            SlotSet("feedback_content", None),
            SlotSet("feedback_contact", None),
            SlotSet("feedback_consent", None),
        ]


class ActionStoreRating(Action):
    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        raw = next(tracker.get_latest_entity_values("rating"), None) or tracker.get_slot("rating")
        match = re.search(r"[1-5]", str(raw or ""))
        if match is None:
            dispatcher.utter_message(text="Bạn chọn điểm từ 1 đến 5 giúp tôi ạ.")
            return [SlotSet("rating", None)]
        text = latest_text(tracker)
        comment = "" if re.fullmatch(r"\W*[1-5]\W*(sao|diem|điểm)?\W*", text.lower()) else text[:2000]
        try:
            await asyncio.to_thread(
                get_services().feedback.rate,
                conversation_id=tracker.sender_id,
                channel=channel_of(tracker),
                score=int(match.group()),
                comment=comment,
            )
        except DatabaseUnavailable as exc:
            log.error("rating could not be stored: %s", exc)
        return [SlotSet("rating", None)]


class ActionFeedbackStatus(Action):
    """ "phản ánh PA-20261123-0001 đến đâu rồi": what became of a feedback, by its tracking number.

    The answer itself needs the last 4 digits of the phone number left with it, in the same message
    ("PA-20261123-0001, 4 số cuối 5678") or alone afterwards (then ``action_verify_second_factor``
    hands them here: ``last_dossier_code`` holds the tracking number meanwhile).
    """

    def name(self) -> str:
        return "action_feedback_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entity = next(tracker.get_latest_entity_values("feedback_code"), "")
        text = latest_text(tracker)
        # Without a number, the one filed in this conversation ("phản ánh của tôi đến đâu rồi").
        number = find_tracking_number(f"{entity} {text}") or tracker.get_slot("filed_feedback_code")
        if number is None:
            dispatcher.utter_message(
                text="Bạn cho tôi số phản ánh, kiến nghị đã nhận khi gửi (dạng PA-20261123-0001) ạ."
            )
            return []
        return await answer_feedback_status(
            dispatcher, tracker, number, last_four_beside(text, FEEDBACK_CODE_PATTERN)
        )


async def answer_feedback_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, number: str, last4: str | None
) -> list[EventType]:
    """Say the feedback's status (and its answer when the digits match); keeps the number in
    ``last_dossier_code`` while the digits may still come."""
    services = get_services()
    settings = services.settings
    # Numbers are sequential: the same budget as dossier lookups keeps them from being walked through.
    admitted = await services.lookup_guard.admit(
        f"feedback:{number}", requester=tracker.sender_id, network=client_network_of(tracker)
    )
    if not admitted.allowed:
        minutes = max(1, settings.lookup_rate_window_seconds // 60)
        dispatcher.utter_message(text=rate_limited_text(minutes, settings.hotline))
        return []
    try:
        feedback = await asyncio.to_thread(services.feedback.get, number)
    except DatabaseUnavailable as exc:
        log.error("feedback lookup failed: %s", exc)
        dispatcher.utter_message(
            text="Xin lỗi, hệ thống tạm thời không tra cứu được phản ánh. Bạn vui lòng thử lại sau ít "
            f"phút hoặc gọi đường dây nóng {settings.hotline}."
        )
        return []
    # The phone's digits are a second factor: locked after too many misses, as a dossier's are.
    guarded = f"feedback:{number}"
    checks_digits = feedback is not None and last4 is not None and feedback.phone_last4 is not None
    locked = checks_digits and await services.lookup_guard.second_factor_locked(guarded)
    verified = (
        feedback is not None
        and not locked
        and may_see_answer(feedback, sender_id=tracker.sender_id, last4=None if locked else last4)
    )
    if checks_digits and not locked and not verified:
        await services.lookup_guard.record_miss(guarded)
    deadlines = Deadlines(
        settings.working_hours(), settings.feedback_received_days, settings.feedback_processing_days
    )
    text = feedback_status_text(
        feedback,
        number,
        settings.hotline,
        deadlines=deadlines,
        now=utcnow(),
        verified=verified,
        digits_given=last4 is not None,
        locked_minutes=max(1, settings.lookup_rate_window_seconds // 60) if locked else None,
    )
    dispatcher.utter_message(text=text)
    waiting_for_digits = (
        feedback is not None
        and feedback.status is FeedbackStatus.ANSWERED
        and not verified
        and not locked
        and feedback.phone_last4 is not None
    )
    return [SlotSet("last_dossier_code", number if waiting_for_digits else None)]
