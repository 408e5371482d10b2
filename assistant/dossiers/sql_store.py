"""Dossier store on our own SQL tables (SQLite by default, PostgreSQL in production).

Every write that changes a dossier's status (``change_status``, or ``upsert`` of an import) records in
the same transaction the notifications its subscribers are owed (``subscriptions``): a change is never
saved without them, nor told without being saved.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assistant.database import Database, DatabaseUnavailable, as_utc, to_utc, utcnow
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.store import DossierLookupUnavailable, DossierRecord, phone_last4_digest
from assistant.dossiers.subscriptions import record_status_change
from assistant.tables import DossierRow, DossierStatusRow


@dataclass(frozen=True)
class NewDossier:
    """A dossier as an agency's system would hand it over (used by the seed command and imports)."""

    code: str
    procedure_code: str
    procedure_name: str
    agency: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    applicant_masked: str
    phone_number: str
    # (status, time) from the first to the current one.
    history: list[tuple[DossierStatus, datetime]] = field(default_factory=list)
    finished_at: datetime | None = None


class SqlDossierStore:
    def __init__(self, database: Database, *, phone_hash_secret: str) -> None:
        self._db = database
        self._secret = phone_hash_secret

    def lookup(self, code: str) -> DossierRecord | None:
        try:
            with self._db.session() as session:
                row = session.scalar(select(DossierRow).where(DossierRow.code == code))
                return None if row is None else _record(row)
        except DatabaseUnavailable as exc:
            raise DossierLookupUnavailable(str(exc)) from exc

    def history(self, code: str) -> list[tuple[DossierStatus, datetime]]:
        with self._db.session() as session:
            row = session.scalar(
                select(DossierRow).where(DossierRow.code == code).options(selectinload(DossierRow.history))
            )
            if row is None:
                return []
            return [(DossierStatus(h.status), as_utc(h.changed_at)) for h in row.history]

    def upsert(self, dossier: NewDossier) -> bool:
        """Insert or replace one dossier with its history; True when it was new."""
        if not dossier.history:
            raise ValueError("a dossier needs at least one status")
        salt = secrets.token_hex(8)
        with self._db.session() as session:
            row = session.scalar(select(DossierRow).where(DossierRow.code == dossier.code))
            created = row is None
            if row is None:
                row = DossierRow(code=dossier.code)
                session.add(row)
            status, changed_at = dossier.history[-1]
            if not created and row.status != int(status):
                record_status_change(session, dossier.code, status, changed_at)
            row.procedure_code = dossier.procedure_code
            row.procedure_name = dossier.procedure_name
            row.agency = dossier.agency
            row.channel = dossier.channel
            row.status = int(dossier.history[-1][0])
            row.received_at = to_utc(dossier.received_at)
            row.due_at = to_utc(dossier.due_at) if dossier.due_at else None
            row.finished_at = to_utc(dossier.finished_at) if dossier.finished_at else None
            row.applicant_masked = dossier.applicant_masked
            row.phone_last4_salt = salt
            row.phone_last4_hash = phone_last4_digest(self._secret, salt, dossier.phone_number[-4:])
            row.updated_at = utcnow()
            row.history = [
                DossierStatusRow(status=int(s), changed_at=to_utc(t), note="") for s, t in dossier.history
            ]
        return created

    def change_status(
        self, code: str, status: DossierStatus, *, at: datetime | None = None, note: str = ""
    ) -> bool:
        """The agency moved the dossier on (False: no such dossier). Its subscribers are told."""
        when = to_utc(at) if at is not None else utcnow()
        with self._db.session() as session:
            row = session.scalar(select(DossierRow).where(DossierRow.code == code))
            if row is None:
                return False
            if row.status != int(status):
                record_status_change(session, code, status, when)
            row.status = int(status)
            if status.is_closed and row.finished_at is None:
                row.finished_at = when
            row.updated_at = utcnow()
            session.add(DossierStatusRow(dossier_id=row.id, status=int(status), changed_at=when, note=note))
        return True


def _record(row: DossierRow) -> DossierRecord:
    return DossierRecord(
        code=row.code,
        procedure_code=row.procedure_code,
        procedure_name=row.procedure_name,
        agency=row.agency,
        channel=row.channel,
        status=DossierStatus(row.status),
        received_at=as_utc(row.received_at),
        due_at=as_utc(row.due_at) if row.due_at else None,
        finished_at=as_utc(row.finished_at) if row.finished_at else None,
        applicant_masked=row.applicant_masked,
        phone_last4_salt=row.phone_last4_salt,
        phone_last4_hash=row.phone_last4_hash,
    )
