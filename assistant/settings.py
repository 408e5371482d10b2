"""Configuration of the action server, read from environment variables with safe local defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"


class ActionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{VAR_DIR / 'assistant.db'}"
    # Where dossier statuses come from: our own SQL tables, or a province one-stop-shop (iGate-style) system.
    dossier_backend: Literal["sql", "igate"] = "sql"
    igate_url: str = "http://127.0.0.1:8090"
    igate_timeout_seconds: float = 3.0
    igate_retries: int = Field(default=2, ge=0, description="Retries after the first attempt")
    igate_backoff_seconds: float = 0.2
    igate_breaker_failures: int = Field(default=5, ge=1, description="Failed lookups that open the breaker")
    igate_breaker_reset_seconds: float = 30.0

    hotline: str = "18001096"
    portal_url: str = "https://dichvucong.gov.vn"
    lookup_rate_limit: int = 10
    lookup_rate_window_seconds: int = 600
    redis_url: str | None = None
    # Secret mixed into the hash of the phone number's last 4 digits; set it in production.
    phone_hash_secret: str = "dev-only-secret-change-me"
    due_soon_days: int = 2
    # Candidates whose scores are within this share of the best one are offered as buttons.
    ambiguity_margin: float = 0.06
    qdrant_path: Path = VAR_DIR / "qdrant" / "actions"
    # Load the search model and sync the index right after start, instead of on the first question.
    warm_up: bool = True
    max_message_chars: int = 900


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
