"""Zalo Official Account webhook: signed events in, answers through the OA message API."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Request, status

from api.conversation import channel_sender_id
from api.dependencies import ServicesDep
from api.inbound import accept, process
from api.schemas import Channel
from api.signatures import verify_zalo
from assistant.channel_traffic import InboundEvent
from assistant.database import DatabaseUnavailable

router = APIRouter(tags=["webhooks"])
# Zalo's events carry the time in milliseconds, as a string or a number.
_TIMESTAMP = re.compile(rb'"timestamp"\s*:\s*"?(\d{1,16})"?')
log = logging.getLogger(__name__)


@router.post(
    "/webhooks/zalo",
    summary="Sự kiện từ Zalo OA",
    description="Verified with `X-ZEvent-Signature` = sha256(app_id + raw body + timestamp + OA secret key), "
    "optionally prefixed with `mac=`. Answers 200 at once; the reply is sent through `/v3.0/oa/message/cs`.",
    responses={401: {"description": "Missing or invalid signature"}, 400: {"description": "Malformed body"}},
)
async def zalo_webhook(request: Request, services: ServicesDep) -> dict[str, str]:
    settings = services.settings
    raw = await request.body()
    signature = request.headers.get("x-zevent-signature")
    if not signature:
        services.telemetry.webhook_rejected.labels("zalo").inc()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing X-ZEvent-Signature")
    # The signature first, on the raw bytes: nothing unsigned is parsed. It covers our app id and the
    # body's timestamp, which is read from the bytes here and checked against the parsed body below.
    found = _TIMESTAMP.search(raw)
    timestamp = found.group(1).decode() if found else ""
    if not verify_zalo(
        signature,
        app_id=settings.zalo_app_id,
        raw_body=raw,
        timestamp=timestamp,
        oa_secret_key=settings.zalo_oa_secret_key,
    ):
        services.telemetry.webhook_rejected.labels("zalo").inc()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid X-ZEvent-Signature")
    try:
        event: Any = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not JSON") from exc
    if not isinstance(event, dict):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not a JSON object")
    if str(event.get("app_id", "")) != settings.zalo_app_id or str(event.get("timestamp", "")) != timestamp:
        services.telemetry.webhook_rejected.labels("zalo").inc()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid X-ZEvent-Signature")
    # A signed event is only good for a while: a replay after the de-dup key expired (or a restart
    # emptied it) is refused.
    age = abs(time.time() - int(timestamp) / 1000)
    if age > settings.zalo_timestamp_tolerance_seconds:
        services.telemetry.webhook_rejected.labels("zalo").inc()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "stale or future timestamp")

    name = str(event.get("event_name", ""))
    user_id = _user_id(name, event)
    if not user_id:
        return {"status": "ignored"}
    sender_id = channel_sender_id(Channel.ZALO, user_id)
    message: dict[str, Any] = event["message"] if isinstance(event.get("message"), dict) else {}
    message_id = str(message.get("msg_id") or f"{name}:{event.get('timestamp')}:{user_id}")
    if name == "user_send_text":
        kind, text = "text", str(message.get("text", ""))
    elif name == "follow":
        kind, text = "welcome", ""
    elif name.startswith("user_send_"):
        kind, text = "unsupported", ""
    else:
        # Delivery receipts, our own sends echoed back, unfollows…: nothing to answer.
        return {"status": "ignored"}
    inbound = InboundEvent(f"zalo:{message_id}", sender_id, kind, text)
    # Stored before the 200: if this process stops now, the worker answers it later.
    if not await accept(services, inbound):
        return {"status": "duplicate"}
    if message.get("msg_id"):
        await _note_message(services, sender_id, str(message["msg_id"]))
    services.spawn(process(services, inbound), name=f"zalo {message_id}")
    return {"status": "accepted"}


async def _note_message(services: ServicesDep, sender_id: str, msg_id: str) -> None:
    """Our sends to this citizen name their message (``recipient.message_id``) and count as replies."""
    try:
        await anyio.to_thread.run_sync(services.store.note_inbound, sender_id, Channel.ZALO.value, msg_id)
    except DatabaseUnavailable as exc:  # the reply goes out all the same, as a proactive message
        log.error("Zalo message id not kept: %s", exc)


def _user_id(name: str, event: dict[str, Any]) -> str:
    """Who the event is about: ``follower.id`` for follow and unfollow events, ``sender.id`` otherwise."""
    who = event.get("follower") if name in ("follow", "unfollow") else event.get("sender")
    return str(who.get("id") or "") if isinstance(who, dict) else ""
