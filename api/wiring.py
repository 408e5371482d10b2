"""The gateway's wiring: its services built from the three settings models, started and stopped with the app.

``api/main.py`` only assembles routes, middleware and handlers around what this module builds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

import anyio

from api.auth import SessionSigner
from api.channel_text import NumberedChoices
from api.conversation import ConversationService
from api.dedup import MemoryDeduplicator, MessageDeduplicator, RedisDeduplicator
from api.delivery import ChannelDelivery
from api.dependencies import Services
from api.messenger_client import MessengerClient
from api.rasa_client import RasaClient
from api.search_provider import SearchProvider
from api.settings import ApiSettings
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient, ZaloTokens
from assistant.channel_tokens import ChannelTokenStore
from assistant.channel_traffic import ChannelOutbox, InboundLog
from assistant.conversations import ConversationStore
from assistant.database import DatabaseUnavailable
from assistant.log_redaction import redact
from assistant.operators import OperatorAccounts
from assistant.procedures.answers import AnswerContext
from assistant.rate_limit import open_rate_limiter
from assistant.services import Services as DomainServices
from assistant.settings import Settings
from search_index.settings import SearchSettings

log = logging.getLogger(__name__)


def build_services(
    settings: ApiSettings, domain_settings: Settings, search_settings: SearchSettings
) -> Services:
    """Every service of one app; nothing connects yet (``start`` does, in the app's lifespan)."""
    telemetry = Telemetry()
    domain = DomainServices(domain_settings, search_settings)
    store = ConversationStore(domain.database)
    rasa = RasaClient(
        settings.rasa_url,
        timeout_seconds=settings.rasa_timeout_seconds,
        retries=settings.rasa_retries,
        token=settings.rasa_token,
        expected_replicas=settings.rasa_replicas,
    )
    search = SearchProvider(search_settings)
    prefix = domain_settings.redis_key_prefix
    dedup: MessageDeduplicator = (
        RedisDeduplicator(domain.redis, settings.dedup_ttl_seconds, prefix=f"{prefix}dedup:")
        if domain.redis is not None
        else MemoryDeduplicator(settings.dedup_ttl_seconds)
    )
    # Requests per client network and minute on the public API; the widget's poll (every few seconds
    # while open) has five times that, in a budget of its own.
    limiter = open_rate_limiter(
        domain.redis, settings.rate_limit_per_minute, 60, prefix=f"{prefix}rate:requests:"
    )
    updates_limiter = open_rate_limiter(
        domain.redis, settings.rate_limit_per_minute * 5, 60, prefix=f"{prefix}rate:updates:"
    )
    zalo_token = (
        ZaloTokens(
            store=ChannelTokenStore(domain.database),
            oauth_base=settings.zalo_oauth_base,
            app_id=settings.zalo_app_id,
            app_secret_key=settings.zalo_app_secret_key,
            access_token=settings.zalo_access_token,
            refresh_token=settings.zalo_refresh_token,
            timeout_seconds=settings.channel_timeout_seconds,
        ).access_token
        if settings.zalo_refresh_token
        else settings.zalo_access_token
    )
    zalo = (
        ZaloClient(
            api_base=settings.zalo_api_base,
            access_token=zalo_token,
            timeout_seconds=settings.channel_timeout_seconds,
            retries=settings.channel_retries,
            backoff_seconds=settings.channel_backoff_seconds,
        )
        if settings.zalo_access_token or settings.zalo_refresh_token
        else None
    )
    messenger = (
        MessengerClient(
            graph_api_base=settings.graph_api_base,
            graph_api_version=settings.graph_api_version,
            page_access_token=settings.messenger_page_access_token,
            timeout_seconds=settings.channel_timeout_seconds,
            retries=settings.channel_retries,
            backoff_seconds=settings.channel_backoff_seconds,
        )
        if settings.messenger_page_access_token
        else None
    )
    choices = NumberedChoices()
    return Services(
        settings=settings,
        telemetry=telemetry,
        domain=domain,
        store=store,
        accounts=OperatorAccounts(domain.database),
        signer=SessionSigner(
            settings.operator_session_secret or secrets.token_urlsafe(32),
            settings.operator_session_minutes * 60,
        ),
        rasa=rasa,
        search=search,
        conversation=ConversationService(
            rasa=rasa,
            search=search,
            store=store,
            handoffs=domain.handoffs,
            telemetry=telemetry,
            redact=redact,
            answer_context=AnswerContext(
                domain.settings.hotline,
                domain.settings.portal_url,
                domain.settings.max_message_chars,
            ),
            ambiguity_margin=domain.settings.ambiguity_margin,
            max_input_chars=settings.max_input_chars,
        ),
        delivery=ChannelDelivery(
            store=store,
            zalo=zalo,
            messenger=messenger,
            choices=choices,
            telemetry=telemetry,
            outbox=ChannelOutbox(domain.database),
            retry_seconds=settings.channel_outbox_retry_seconds,
            max_attempts=settings.channel_outbox_max_attempts,
        ),
        choices=choices,
        dedup=dedup,
        limiter=limiter,
        updates_limiter=updates_limiter,
        zalo=zalo,
        messenger=messenger,
        inbound=InboundLog(domain.database, replay_after_seconds=settings.inbound_replay_after_seconds),
    )


async def start(services: Services) -> None:
    try:
        await anyio.to_thread.run_sync(services.domain.database.ensure_schema)
    except DatabaseUnavailable as exc:
        # Start anyway: chats are answered without transcripts, /health reports the database down.
        log.error("database unavailable at start, schema not checked: %s", exc)
    services.search.start()
    services.worker = asyncio.create_task(channel_worker(services), name="channel worker")
    services.notifier = asyncio.create_task(notification_worker(services), name="notification worker")


async def channel_worker(services: Services) -> None:
    """Forever: send again the replies the platforms refused, answer the events a dead process left."""
    from api.inbound import replay

    while True:
        await asyncio.sleep(services.settings.channel_outbox_retry_seconds)
        try:
            await services.delivery.redeliver_due()
            for event in await anyio.to_thread.run_sync(services.inbound.claim_stale):
                services.spawn(replay(services, event), name=f"replay {event.key}")
        except DatabaseUnavailable as exc:
            log.error("channel worker: database unavailable: %s", exc)
        except Exception:
            log.exception("channel worker failed; trying again later")


async def notification_worker(services: Services) -> None:
    """Forever: status changes of subscribed dossiers (polled from a one-stop-shop system when that is the
    backend) go to their conversations."""
    from api.notifications import poll_one_stop_shop, send_due

    while True:
        await asyncio.sleep(services.settings.notification_interval_seconds)
        try:
            await anyio.to_thread.run_sync(poll_one_stop_shop, services)
            await send_due(services)
        except DatabaseUnavailable as exc:
            log.error("notification worker: database unavailable: %s", exc)
        except Exception:
            log.exception("notification worker failed; trying again later")


async def stop(services: Services) -> None:
    for task in (services.worker, services.notifier):
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    await services.drain()
    await services.rasa.aclose()
    for client in (services.zalo, services.messenger):
        if client is not None:
            await client.aclose()
    if services.domain.redis is not None:
        await services.domain.redis.aclose()
    services.domain.database.dispose()
    services.search.close()
