"""Zalo Official Account webhook: signed events in, answers through the OA message API."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from api.conversation import channel_sender_id
from api.dependencies import ServicesDep
from api.inbound import UNSUPPORTED_MESSAGE, WELCOME_MESSAGE, handle_text, send
from api.schemas import Channel
from api.signatures import verify_zalo

router = APIRouter(tags=["webhooks"])
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
    try:
        event: Any = json.loads(raw)
    except ValueError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not JSON") from exc
    if not isinstance(event, dict):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not a JSON object")
    app_id = str(event.get("app_id", ""))
    valid = app_id == settings.zalo_app_id and verify_zalo(
        signature,
        app_id=app_id,
        raw_body=raw,
        timestamp=str(event.get("timestamp", "")),
        oa_secret_key=settings.zalo_oa_secret_key,
    )
    if not valid:
        services.telemetry.webhook_rejected.labels("zalo").inc()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid X-ZEvent-Signature")

    name = str(event.get("event_name", ""))
    user_id = _user_id(name, event)
    if not user_id:
        return {"status": "ignored"}
    sender_id = channel_sender_id(Channel.ZALO, user_id)
    message: dict[str, Any] = event["message"] if isinstance(event.get("message"), dict) else {}
    message_id = str(message.get("msg_id") or f"{name}:{event.get('timestamp')}:{user_id}")
    if not await services.dedup.first_time(f"zalo:{message_id}"):
        return {"status": "duplicate"}

    if name == "user_send_text":
        text = str(message.get("text", ""))
        services.spawn(handle_text(services, sender_id, text), name=f"zalo {message_id}")
        return {"status": "accepted"}
    if name == "follow":
        services.spawn(send(services, sender_id, [WELCOME_MESSAGE]), name=f"zalo welcome {message_id}")
        return {"status": "accepted"}
    if name.startswith("user_send_"):
        services.spawn(send(services, sender_id, [UNSUPPORTED_MESSAGE]), name=f"zalo {message_id}")
        return {"status": "accepted"}
    # Delivery receipts, our own sends echoed back, unfollows…: nothing to answer.
    return {"status": "ignored"}


def _user_id(name: str, event: dict[str, Any]) -> str:
    """Who the event is about: ``follower.id`` for follow and unfollow events, ``sender.id`` otherwise."""
    who = event.get("follower") if name in ("follow", "unfollow") else event.get("sender")
    return str(who.get("id") or "") if isinstance(who, dict) else ""
