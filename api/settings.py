"""The gateway's own configuration (Rasa, channels, limits, console), read from environment variables.

What the gateway shares with the action server (database, Redis, hotline, portal…) is
``assistant.settings.Settings``; each variable is read by exactly one of the two models."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Upstream services
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa's --auth-token, needed for its HTTP API (status, trackers) when the server is started with one.
    rasa_token: str | None = None
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 10.0
    rasa_retries: int = Field(
        default=1, ge=0, description="Retries of a failed Rasa call (connect errors only)"
    )
    health_timeout_seconds: float = 2.0
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

    # Operator console: sessions are signed with this key; the default changes at every start,
    # which logs everyone out — set it in production.
    operator_session_secret: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    operator_session_minutes: int = Field(default=8 * 60, ge=1)
    operator_cookie_secure: bool = False
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
