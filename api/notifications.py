"""Status notifications out of the gateway: each change waiting in ``dossier_notifications`` goes to its
conversation through the channel delivery (the durable outbox, the platforms' windows), as one short
message; one the platform's window does not allow now is held and sent when the citizen next writes.

The gateway's worker calls ``send_due`` (and, for a one-stop-shop backend, polls the subscribed
dossiers first); ``inbound.handle_text`` calls ``send_held`` after answering a Zalo or Messenger message.
"""

from __future__ import annotations

import logging

import anyio

from api.conversation import sender_channel
from api.delivery import NOTIFICATION, DeliveryFailed, OutsideWindow
from api.dependencies import Services
from api.schemas import Channel, ChatMessage
from assistant.database import DatabaseUnavailable
from assistant.dossiers.answer import status_change_text
from assistant.dossiers.igate_poller import IGatePoller
from assistant.dossiers.notifications import Notification
from assistant.handling_ratings import RATEABLE, rating_link

log = logging.getLogger(__name__)


async def send_due(services: Services, *, sender_id: str | None = None) -> int:
    """Send the pending notifications (of one conversation, when given); how many were handed over."""
    queue = services.domain.notifications
    claimed = await anyio.to_thread.run_sync(lambda: queue.claim_pending(sender_id=sender_id))
    handed = 0
    for notification in claimed:
        outcome = await _send(services, notification)
        if outcome is None:
            await anyio.to_thread.run_sync(queue.hold, notification.id)
            continue
        await anyio.to_thread.run_sync(queue.done, notification.id, outcome)
        handed += 1
    return handed


async def send_held(services: Services, sender_id: str) -> None:
    """The citizen just wrote: what was held for them goes now, after the answer to their message."""
    try:
        if await anyio.to_thread.run_sync(services.domain.notifications.release_held, sender_id):
            await send_due(services, sender_id=sender_id)
    except DatabaseUnavailable as exc:
        log.error("held notifications not sent: %s", exc)


def poll_one_stop_shop(services: Services) -> None:
    """A one-stop-shop backend cannot tell us of changes: look at the subscribed dossiers that are due."""
    domain = services.domain
    if domain.settings.dossier_backend != "igate":
        return  # the SQL store records notifications itself, on write
    poller = IGatePoller(
        domain.dossiers,
        domain.subscriptions,
        first_seconds=domain.settings.igate_poll_seconds,
        max_seconds=domain.settings.igate_poll_max_seconds,
    )
    report = poller.poll_due()
    if report.looked or report.failed:
        log.info("one-stop-shop poll: %s", report)


async def _send(services: Services, notification: Notification) -> str | None:
    """How the notification went (sent, kept, queued, failed), or None: held for the citizen's next
    message."""
    settings = services.domain.settings
    link = (
        rating_link(settings.public_url, notification.dossier_code, settings.phone_hash_secret)
        if notification.status in RATEABLE
        else None
    )
    text = status_change_text(notification.dossier_code, notification.status, notification.changed_at, link)
    try:
        await services.delivery.deliver(notification.sender_id, [ChatMessage(text=text)], author=NOTIFICATION)
    except OutsideWindow:
        return None
    except DeliveryFailed as exc:
        # Never sent twice from here: kept in the channel outbox (queued), or maybe delivered (a timeout).
        log.error("status notification %s not delivered: %s", notification.id, exc)
        return "queued" if exc.queued else "failed"
    await _record_transcript(services, notification.sender_id, text)
    return "kept" if sender_channel(notification.sender_id) is Channel.WEB else "sent"


async def _record_transcript(services: Services, sender_id: str, text: str) -> None:
    try:
        await anyio.to_thread.run_sync(services.store.record_replies, sender_id, NOTIFICATION, [text])
    except DatabaseUnavailable as exc:
        log.error("notification not recorded in the transcript: %s", exc)
