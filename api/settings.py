"""The gateway's own configuration (Rasa, channels, limits, console), read from environment variables.

What the gateway shares with the action server (database, Redis, hotline, portal…) is
``assistant.settings.Settings``; each variable is read by exactly one of the two models."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Upstream services. RASA_URL may list several replicas (comma-separated), or name a host that
    # resolves to several addresses (compose's scaled service, a Kubernetes headless Service).
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa's --auth-token, needed for its HTTP API (status, trackers) when the server is started with one.
    rasa_token: str | None = None
    action_server_url: str = "http://127.0.0.1:5055"
    # How many Rasa servers and action servers `make run` starts (api/local_run.py); above 1 they share
    # the tracker store and a Redis lock store (REDIS_URL) and the gateway spreads turns across them.
    rasa_replicas: int = Field(default=1, ge=1, le=16)
    action_replicas: int = Field(default=1, ge=1, le=16)
    rasa_timeout_seconds: float = 10.0
    rasa_retries: int = Field(
        default=1, ge=0, description="Retries of a failed Rasa call (connect errors only)"
    )
    health_timeout_seconds: float = 2.0
    # /health asks the components at most once per this period (it is public).
    health_cache_seconds: float = Field(default=5.0, ge=0)
    # Bearer token for /metrics; unset, /metrics answers loopback clients only.
    metrics_token: str | None = None
    log_level: str = "INFO"

    # Citizen-facing limits
    # Longest citizen message forwarded (the action server's MAX_MESSAGE_CHARS is the size of its answers).
    max_input_chars: int = Field(default=1000, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    rate_limit_per_minute: int = Field(
        default=60, ge=1, description="Requests per client and minute on /api/"
    )
    # Comma-separated origins allowed to call the API from a browser (the provinces' portals).
    cors_origins: Annotated[list[str], NoDecode] = ["http://127.0.0.1:8000", "http://localhost:8000"]

    # Zalo Official Account
    zalo_app_id: str = ""
    zalo_oa_secret_key: str = ""
    zalo_access_token: str = ""
    zalo_api_base: str = "https://openapi.zalo.me"
    # Renewal of the OA access token (it lives ~25 h): the refresh token Zalo gave with it, and the
    # application's secret key (not the OA secret key of the webhook signature).
    zalo_refresh_token: str = ""
    zalo_app_secret_key: str = ""
    zalo_oauth_base: str = "https://oauth.zaloapp.com"

    # Facebook Messenger
    messenger_app_secret: str = ""
    messenger_verify_token: str = ""
    messenger_page_access_token: str = ""
    graph_api_base: str = "https://graph.facebook.com"
    graph_api_version: str = "v21.0"

    # Outbound channel calls
    channel_timeout_seconds: float = 5.0
    channel_retries: int = Field(default=3, ge=0)
    channel_backoff_seconds: float = 0.5
    dedup_ttl_seconds: int = 24 * 3600
    # A Zalo/Messenger reply that failed is sent again after this delay, doubled at each failure, up to
    # CHANNEL_OUTBOX_MAX_ATTEMPTS tries; the worker looks for due replies this often too.
    channel_outbox_retry_seconds: float = Field(default=30.0, gt=0)
    channel_outbox_max_attempts: int = Field(default=20, ge=1)
    # An inbound Zalo/Messenger event not answered this long after it was stored (its process died) is
    # answered by the worker.
    inbound_replay_after_seconds: float = Field(default=120.0, gt=0)
    # How often the worker sends the status notifications waiting (and looks at the subscribed dossiers
    # of a one-stop-shop system that are due, IGATE_POLL_SECONDS).
    notification_interval_seconds: float = Field(default=10.0, gt=0)
    # A Zalo event whose timestamp is further than this from now is refused (replays).
    zalo_timestamp_tolerance_seconds: int = Field(default=600, ge=1)

    # Operator console: sessions are signed with this key. Unset, a random key is made at every start (and
    # per worker: operators are logged out of each other) — refused in production, warned about elsewhere.
    operator_session_secret: str | None = None
    operator_session_minutes: int = Field(default=8 * 60, ge=1)
    operator_cookie_secure: bool = False
    # Wrong passwords in a row before an account is locked, and for how long (per account, in the
    # database: it holds whatever addresses the guesses come from, and without the database nobody logs in).
    operator_login_max_failures: int = Field(default=5, ge=1)
    operator_lockout_minutes: int = Field(default=15, ge=1)
    operator_poll_seconds: float = 3.0

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Written as "https://a.gov.vn, https://b.gov.vn" in the environment, not as JSON.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


@lru_cache
def get_settings() -> ApiSettings:
    return ApiSettings()
