"""The one interface every dossier backend offers, the record it returns, and the timing rules.

Backends: ``sql_store.SqlDossierStore`` (our own tables) and ``igate_connector.IGateConnector`` (a
province one-stop-shop system over HTTP); ``open_dossier_store`` picks one from the settings.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from assistant.dossiers.status import DossierStatus

if TYPE_CHECKING:
    from assistant.database import Database
    from assistant.settings import Settings


class DossierLookupUnavailable(RuntimeError):
    """The backend cannot answer right now (database down, remote system timing out, breaker open)."""


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    FINISHED_LATE = "finished_late"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class DossierRecord:
    code: str
    procedure_name: str
    status: DossierStatus
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None = None
    procedure_code: str = ""
    agency: str = ""
    channel: str = ""
    # Personal data: only shown after the second factor (last 4 digits of the registered phone).
    applicant_masked: str | None = None
    phone_last4_salt: str | None = None
    phone_last4_hash: str | None = None

    def timeliness(self, now: datetime, due_soon_days: int = 2) -> Timeliness:
        """Computed from the due date each time (never stored), so it is right on every day."""
        if self.due_at is None:
            return Timeliness.NOT_APPLICABLE
        if self.status.is_closed:
            late = self.finished_at is not None and self.finished_at > self.due_at
            return Timeliness.FINISHED_LATE if late else Timeliness.NOT_APPLICABLE
        if now > self.due_at:
            return Timeliness.OVERDUE
        if self.due_at - now <= timedelta(days=due_soon_days):
            return Timeliness.DUE_SOON
        return Timeliness.ON_TIME

    def phone_matches(self, last4: str, secret: str) -> bool:
        if self.phone_last4_salt is None or self.phone_last4_hash is None:
            return False
        candidate = phone_last4_digest(secret, self.phone_last4_salt, last4)
        return hmac.compare_digest(candidate, self.phone_last4_hash)


class DossierStore(Protocol):
    def lookup(self, code: str) -> DossierRecord | None:
        """The dossier with this canonical code, None when unknown; raises DossierLookupUnavailable."""
        ...


def phone_last4_digest(secret: str, salt: str, last4: str) -> str:
    message = f"{salt}:{last4.strip()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def open_dossier_store(settings: Settings, database: Database) -> DossierStore:
    if settings.dossier_backend == "igate":
        from assistant.dossiers.igate_connector import IGateConnector

        return IGateConnector.from_settings(settings)
    from assistant.dossiers.sql_store import SqlDossierStore

    return SqlDossierStore(database, phone_hash_secret=settings.phone_hash_secret)
