"""One citizen turn, whatever the channel: operator take-over, Rasa, or search alone when Rasa is down."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import anyio

from api.degraded import search_only_answer
from api.rasa_client import RasaClient, RasaUnavailable
from api.schemas import Button, Channel, ChatMessage, Link
from api.search_provider import SearchProvider
from api.telemetry import Telemetry
from assistant.conversations import ChatEvent, ConversationStore
from assistant.database import DatabaseUnavailable
from assistant.handoffs import HandoffStore
from assistant.procedures.answers import AnswerContext

log = logging.getLogger(__name__)

URL_RE = re.compile(r"https?://[^\s<>\"')]+")
HANDOFF_INTENTS = {"request_human"}
FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
FALLBACK_ACTIONS = {"action_fallback", "action_default_fallback"}

Mode = Literal["bot", "degraded", "operator"]


@dataclass(frozen=True)
class TurnResult:
    mode: Mode
    messages: list[ChatMessage]
    # What Rasa understood of the turn (intent, confidence, latest action, procedure slots), as its
    # gateway channel reported it with the answer; None when Rasa did not answer.
    understanding: dict[str, Any] | None = None


# Characters nobody sees: C0/C1 controls (NUL among them: PostgreSQL refuses it in text), zero-width
# spaces and joiners, bidirectional overrides, the BOM. A message made only of them is an empty message.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def clean_text(text: str) -> str:
    """NFC, invisible characters removed and whitespace collapsed: what every channel sends on to Rasa."""
    return " ".join(unicodedata.normalize("NFC", strip_invisible(text)).split())


def sender_channel(sender_id: str) -> Channel:
    prefix, sep, _ = sender_id.partition(":")
    if sep and prefix in (Channel.ZALO, Channel.MESSENGER):
        return Channel(prefix)
    return Channel.WEB


def channel_sender_id(channel: Channel, platform_user_id: str) -> str:
    return f"{channel.value}:{platform_user_id}"


def platform_user_id(sender_id: str) -> str:
    return sender_id.partition(":")[2]


def from_rasa(message: dict[str, Any]) -> ChatMessage:
    text = str(message.get("text") or "")
    buttons = [
        Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
        for b in message.get("buttons") or []
        if isinstance(b, dict) and b.get("title")
    ]
    links = [Link(title=url, url=url) for url in URL_RE.findall(text)]
    custom = message.get("custom")
    if isinstance(custom, dict):
        for link in custom.get("links") or []:
            if isinstance(link, dict) and link.get("url"):
                links.append(Link(title=str(link.get("title") or link["url"]), url=str(link["url"])))
    image = message.get("image")
    return ChatMessage(text=text, buttons=buttons, links=links, image=str(image) if image else None)


class ConversationService:
    def __init__(
        self,
        *,
        rasa: RasaClient,
        search: SearchProvider,
        store: ConversationStore,
        handoffs: HandoffStore,
        telemetry: Telemetry,
        redact: Callable[[str], str],
        answer_context: AnswerContext,
        ambiguity_margin: float,
        max_input_chars: int,
    ):
        self._rasa = rasa
        self._search = search
        self._store = store
        self._handoffs = handoffs
        self._telemetry = telemetry
        self._redact = redact
        self._answer_context = answer_context
        self._ambiguity_margin = ambiguity_margin
        self._max_chars = max_input_chars

    def polite_reply_for_bad_text(self, text: str) -> ChatMessage | None:
        """The answer to a message we will not forward (empty or too long), else None."""
        if not text:
            return ChatMessage(
                text="Dạ, bạn vui lòng nhập câu hỏi về thủ tục hành chính hoặc mã hồ sơ cần tra cứu."
            )
        if len(text) > self._max_chars:
            return ChatMessage(
                text=f"Dạ, tin nhắn dài quá {self._max_chars} ký tự. Bạn vui lòng rút gọn câu hỏi "
                "(ví dụ: “đăng ký khai sinh cần giấy tờ gì?”) để được trả lời chính xác hơn."
            )
        return None

    async def handle(self, sender_id: str, raw_text: str, client_network: str | None = None) -> TurnResult:
        """One turn; ``client_network`` (web chat) lets the actions budget lookups per network."""
        channel = sender_channel(sender_id)
        text = clean_text(raw_text)
        self._telemetry.channel_messages.labels(channel.value).inc()
        refusal = self.polite_reply_for_bad_text(text)
        if refusal is not None:
            return TurnResult("bot", [refusal])

        try:
            taken_by = await anyio.to_thread.run_sync(self._begin_turn, sender_id, channel.value, text)
        except DatabaseUnavailable as exc:
            # No database: no take-over state and no transcript, but the citizen still gets answers.
            log.error("conversation store unavailable: %s", exc)
            taken_by = None
        if taken_by is not None:
            # A person answers this conversation now; they read the message in the console.
            return TurnResult("operator", [])

        try:
            metadata = {"channel": channel.value}
            if client_network:
                metadata["client_network"] = client_network
            turn = await self._rasa.send_message(sender_id, text, metadata)
        except RasaUnavailable as exc:
            log.warning("Rasa unavailable for %s: %s", self._redact(sender_id), exc)
            return await self._search_answer(sender_id, channel.value, text)

        messages = [from_rasa(m) for m in turn.messages]
        if not any(m.text.strip() or m.buttons or m.image for m in messages):
            # Rasa ran the turn but said nothing: its custom action failed (the action server down or
            # crashing), which Rasa logs and carries on from. The citizen is not left without an answer.
            log.warning(
                "Rasa answered %s with no message: answering from the search", self._redact(sender_id)
            )
            return await self._search_answer(sender_id, channel.value, text)
        await anyio.to_thread.run_sync(self._record, sender_id, "bot", messages, None)
        return TurnResult("bot", messages, turn.understanding)

    async def _search_answer(self, sender_id: str, channel: str, text: str) -> TurnResult:
        """The degraded answer: the procedure search alone, with a notice that the assistant is busy."""
        messages = await anyio.to_thread.run_sync(
            search_only_answer, self._search.finder, text, self._answer_context, self._ambiguity_margin
        )
        self._telemetry.degraded.inc()
        event = ChatEvent(sender_id=sender_id, channel=channel, text=self._redact(text), degraded=True)
        await anyio.to_thread.run_sync(self._record, sender_id, "search", messages, event)
        return TurnResult("degraded", messages)

    def _begin_turn(self, sender_id: str, channel: str, text: str) -> str | None:
        """Record the citizen's message; the operator answering the conversation, if one does."""
        self._store.begin_turn(sender_id, channel, text)
        return self._handoffs.operator_of(sender_id)

    def _record(
        self, sender_id: str, author: str, messages: list[ChatMessage], event: ChatEvent | None
    ) -> None:
        """Transcript and analytics are kept best effort: the answer goes out even if they cannot be."""
        try:
            self._store.record_replies(sender_id, author, [m.text for m in messages])
            if event is not None:
                self._store.record_event(event)
        except DatabaseUnavailable as exc:
            log.error("could not record the answer: %s", exc)

    async def follow_up(self, sender_id: str, text: str, understanding: dict[str, Any] | None) -> None:
        """After the reply went out: what did Rasa understand? Feeds metrics, analytics and the console.

        ``understanding`` came with Rasa's answer (its gateway channel summarises the tracker it just
        saved), so this asks Rasa nothing more; best effort — a failure here never affects the citizen.
        """
        if understanding is None:
            return
        channel = sender_channel(sender_id)
        intent_info = understanding.get("intent")
        intent = intent_info if isinstance(intent_info, str) else None
        confidence = understanding.get("confidence")
        slots = understanding.get("slots") or {}
        if not isinstance(slots, dict):
            slots = {}
        latest_action = understanding.get("latest_action")
        fallback = intent in FALLBACK_INTENTS or latest_action in FALLBACK_ACTIONS
        handoff = intent in HANDOFF_INTENTS
        if intent:
            self._telemetry.intents.labels(intent).inc()
        if fallback:
            self._telemetry.fallbacks.inc()
        if handoff:
            self._telemetry.handoffs.inc()
        event = ChatEvent(
            sender_id=sender_id,
            channel=channel.value,
            text=self._redact(clean_text(text)),
            intent=intent,
            confidence=float(confidence) if isinstance(confidence, int | float) else None,
            procedure_code=slots.get("procedure_code")
            if isinstance(slots.get("procedure_code"), str)
            else None,
            procedure_name=slots.get("procedure_name")
            if isinstance(slots.get("procedure_name"), str)
            else None,
            fallback=fallback,
        )
        try:
            await anyio.to_thread.run_sync(self._store.record_event, event)
            if handoff or fallback:
                # Listed as waiting in the console (the action server has already recorded a citizen's
                # request; then this changes nothing).
                reason = "công dân yêu cầu" if handoff else "trợ lý chưa hiểu câu hỏi"
                await anyio.to_thread.run_sync(
                    lambda: self._handoffs.flag(
                        conversation_id=sender_id, channel=channel.value, reason=reason
                    )
                )
        except Exception:  # analytics must never break a conversation
            log.exception("could not record chat event")
