"""Facebook Messenger webhook: verification handshake, signed events in, answers through the Send API."""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import PlainTextResponse

from api.conversation import channel_sender_id
from api.dependencies import ServicesDep
from api.inbound import accept, process
from api.schemas import Channel
from api.signatures import verify_messenger
from assistant.channel_traffic import InboundEvent

router = APIRouter(tags=["webhooks"])


@router.get("/webhooks/messenger", summary="Xác minh webhook Messenger", response_class=PlainTextResponse)
async def verify(
    services: ServicesDep,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=512)] = "",
) -> PlainTextResponse:
    expected = services.settings.messenger_verify_token
    if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return PlainTextResponse(challenge)
    raise HTTPException(status.HTTP_403_FORBIDDEN, "verification failed")


@router.post(
    "/webhooks/messenger",
    summary="Sự kiện từ Messenger",
    description="Verified with `X-Hub-Signature-256` (HMAC-SHA256 of the raw body, app secret). Retried "
    "deliveries of a message id (mid) are answered once.",
    responses={401: {"description": "Missing signature"}, 403: {"description": "Invalid signature"}},
)
async def receive(request: Request, services: ServicesDep) -> dict[str, str]:
    raw = await request.body()
    signature = request.headers.get("x-hub-signature-256")
    if not signature:
        services.telemetry.webhook_rejected.labels("messenger").inc()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing X-Hub-Signature-256")
    if not verify_messenger(signature, app_secret=services.settings.messenger_app_secret, raw_body=raw):
        services.telemetry.webhook_rejected.labels("messenger").inc()
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid X-Hub-Signature-256")
    try:
        body: Any = json.loads(raw)
    except ValueError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not JSON") from exc
    if not isinstance(body, dict) or body.get("object") != "page":
        return {"status": "ignored"}
    for entry in body.get("entry") or []:
        for event in (entry.get("messaging") or []) if isinstance(entry, dict) else []:
            if isinstance(event, dict):
                await _dispatch(services, event)
    return {"status": "accepted"}


async def _dispatch(services: ServicesDep, event: dict[str, Any]) -> None:
    psid = _sender(event)
    message = event.get("message") if isinstance(event.get("message"), dict) else None
    postback = event.get("postback") if isinstance(event.get("postback"), dict) else None
    if not psid or (message and message.get("is_echo")):
        return  # our own messages echoed back
    source = message or postback
    if source is None:
        return  # delivery and read receipts
    mid = str(source.get("mid") or f"{psid}:{event.get('timestamp')}")
    sender_id = channel_sender_id(Channel.MESSENGER, psid)  # a guest of the chat plugin: "ref:<user_ref>"
    quick_reply = (message or {}).get("quick_reply")
    if isinstance(quick_reply, dict) and quick_reply.get("payload"):
        text = str(quick_reply["payload"])
    elif postback is not None:
        text = str(postback.get("payload") or postback.get("title") or "")
    else:
        text = str((message or {}).get("text") or "")
    inbound = InboundEvent(f"messenger:{mid}", sender_id, "text" if text else "unsupported", text)
    # Stored before the 200: if this process stops now, the worker answers it later.
    if await accept(services, inbound):
        services.spawn(process(services, inbound), name=f"messenger {mid}")


def _sender(event: dict[str, Any]) -> str:
    """The PSID, or for a guest of the chat plugin (no Facebook login) ``ref:<user_ref>``: Meta sends
    ``sender.user_ref`` instead of ``sender.id`` then, and replies go to ``recipient.user_ref``."""
    sender = event.get("sender")
    if not isinstance(sender, dict):
        return ""
    if sender.get("id"):
        return str(sender["id"])
    return f"ref:{sender['user_ref']}" if sender.get("user_ref") else ""
