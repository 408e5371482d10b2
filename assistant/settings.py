"""The assistant's configuration: one pydantic-settings model for what the action server and the API share.

Every field is the environment variable of the same name in capitals (a ``.env`` file in the working
directory is read too), with a safe local default. The gateway's own settings (Rasa, channels, console)
are ``api/settings.py``; the search index's are ``search_index/settings.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.office_hours import OfficeHours

VAR_DIR = Path(__file__).resolve().parent.parent / "var"
DEV_PHONE_HASH_SECRET = "dev-only-secret-change-me"
log = logging.getLogger(__name__)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # "production" refuses to start with a development default where a secret belongs (compose sets it);
    # "development" only warns.
    deployment: Literal["development", "production"] = "development"

    # Storage shared by every process
    database_url: str = f"sqlite:///{VAR_DIR / 'assistant.db'}"
    # Unset: rate limits and de-duplication are kept in each process's memory.
    redis_url: str | None = None
    # Prefix of every Redis key; distinct per deployment when several share one Redis.
    redis_key_prefix: str = "dvc:"

    # What the citizen is told
    hotline: str = "18001096"
    portal_url: str = "https://dichvucong.gov.vn"
    # Where citizens reach this gateway (links it gives in chats, e.g. the rating of a dossier's handling).
    public_url: str = "http://127.0.0.1:8000"
    # The search's best procedure is answered alone when its confidence leads the next family's by this
    # much; closer, the others are offered beside it. 0.4 from the cross-validated table of
    # `make tune-rerank` on evaluation/data/search_tune.tsv: on its first 422 queries 85 % answered alone,
    # 95 % of those right; on all 709 (new procedures added) 82 % and 92 %; on all 919, 83 % and 92 %.
    ambiguity_margin: float = 0.4
    max_message_chars: int = 900

    # Dossiers: our own SQL tables, or a province one-stop-shop (iGate-style) system.
    dossier_backend: Literal["sql", "igate"] = "sql"
    igate_url: str = "http://127.0.0.1:8090"
    igate_timeout_seconds: float = 3.0
    igate_retries: int = Field(default=2, ge=0, description="Retries after the first attempt")
    igate_backoff_seconds: float = 0.2
    igate_breaker_failures: int = Field(default=5, ge=1, description="Failed lookups that open the breaker")
    igate_breaker_reset_seconds: float = 30.0
    # Status notifications from the one-stop-shop system, which cannot tell us of changes: a subscribed
    # dossier is looked at this long after the subscription, then twice as long after each look that
    # found no change (or failed), up to the maximum.
    igate_poll_seconds: float = Field(default=300.0, gt=0)
    igate_poll_max_seconds: float = Field(default=3600.0, gt=0)
    # Dossier (and feedback) lookups per window: per chat sender, per client network (IPv4 address or
    # IPv6 /64: a web client picks its own sender id) and per code whoever asks.
    lookup_rate_limit: int = Field(default=10, ge=1)
    lookup_network_rate_limit: int = Field(default=30, ge=1)
    lookup_code_rate_limit: int = Field(default=20, ge=1)
    lookup_rate_window_seconds: int = Field(default=600, ge=1)
    # Wrong phone digits per dossier code in that window before its second factor is locked.
    second_factor_max_misses: int = Field(default=5, ge=1)
    # Secret mixed into the hash of the phone number's last 4 digits; set it in production.
    phone_hash_secret: str = DEV_PHONE_HASH_SECRET
    due_soon_days: int = 2

    # Citizens' data (transcripts, chat events, handoffs, feedback contacts, Rasa trackers) older than this
    # is deleted by `python -m assistant purge` (the compose `retention` service runs it daily).
    retention_days: int = Field(default=90, ge=1)
    # Working hours of the staff behind the console (Vietnamese time): when a request for a person is
    # answered at once (with a place in the queue) or kept for the next session. ISO weekdays (1 = Monday),
    # sessions "HH:MM-HH:MM" separated by commas, holidays as days or inclusive ranges "A..B".
    office_days: str = "1-5"
    office_hours: str = "07:30-11:30,13:30-17:00"
    holidays: str = ""
    # Feedback (phản ánh, kiến nghị): working days allowed in each status before it is marked overdue.
    feedback_received_days: int = Field(default=2, ge=1, description="Received until taken up")
    feedback_processing_days: int = Field(default=10, ge=1, description="Being handled until answered")

    # Action server: load the search model and sync the index right after start, not on the first question.
    warm_up: bool = True

    @model_validator(mode="after")
    def _office_hours_are_readable(self) -> Settings:
        self.working_hours()  # a typo in OFFICE_HOURS fails at start, not at the first request
        return self

    def working_hours(self) -> OfficeHours:
        return OfficeHours.parse(self.office_days, self.office_hours, self.holidays)


class UnsafeConfiguration(RuntimeError):
    """A production process was configured with a development default where a secret belongs."""


def refuse_unsafe_defaults(settings: Settings, problems: Iterable[str] = ()) -> None:
    """Raise ``UnsafeConfiguration`` in production when a secret is a development default (``problems``
    adds the caller's own); in development, log a warning for each instead."""
    found = list(problems)
    if settings.phone_hash_secret == DEV_PHONE_HASH_SECRET:
        found.append("PHONE_HASH_SECRET is the development default (the phone digits' hashes can be guessed)")
    if not found:
        return
    if settings.deployment == "production":
        raise UnsafeConfiguration(
            "refusing to start in production: " + "; ".join(found) + " — set them in .env"
        )
    for problem in found:
        log.warning("unsafe outside development: %s", problem)


@lru_cache
def get_settings() -> Settings:
    return Settings()
