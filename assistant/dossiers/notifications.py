"""The changes of status waiting to be told to their subscribers (``subscriptions`` writes them).

The gateway claims the pending ones (a lease: several gateway processes never send one twice), hands
each to the channel delivery, and marks it done with how that went — or holds it when the platform's
window is closed, until the citizen writes again (``release_held``). Raises ``DatabaseUnavailable``
when the database is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from assistant.database import Database, as_utc, utcnow
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.subscriptions import PENDING
from assistant.tables import DossierNotificationRow

HELD = "held"
DONE = "done"


@dataclass(frozen=True)
class Notification:
    id: int
    sender_id: str
    dossier_code: str
    status: DossierStatus
    changed_at: datetime


class NotificationQueue:
    def __init__(self, database: Database, *, lease_seconds: float = 120) -> None:
        self._db = database
        self._lease = timedelta(seconds=lease_seconds)

    def claim_pending(self, *, sender_id: str | None = None, limit: int = 20) -> list[Notification]:
        """Pending notifications (of one conversation, when given), oldest first, each leased to us."""
        now = utcnow()
        claimed = []
        with self._db.session() as s:
            query = select(DossierNotificationRow).where(
                DossierNotificationRow.state == PENDING, DossierNotificationRow.next_attempt_at <= now
            )
            if sender_id is not None:
                query = query.where(DossierNotificationRow.sender_id == sender_id)
            rows = s.scalars(query.order_by(DossierNotificationRow.id).limit(limit)).all()
            for row in rows:
                taken = s.execute(
                    update(DossierNotificationRow)
                    .where(
                        DossierNotificationRow.id == row.id,
                        DossierNotificationRow.state == PENDING,
                        DossierNotificationRow.next_attempt_at == row.next_attempt_at,
                    )
                    .values(next_attempt_at=now + self._lease)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount:  # type: ignore[attr-defined]
                    claimed.append(
                        Notification(
                            row.id,
                            row.sender_id,
                            row.dossier_code,
                            DossierStatus(row.status),
                            as_utc(row.changed_at),
                        )
                    )
        return claimed

    def done(self, notification_id: int, delivery: str) -> None:
        """Handed to the channel (``delivery``: sent, kept, queued, failed): never sent again from here."""
        with self._db.session() as s:
            s.execute(
                update(DossierNotificationRow)
                .where(DossierNotificationRow.id == notification_id)
                .values(state=DONE, delivery=delivery, done_at=utcnow())
            )

    def hold(self, notification_id: int) -> None:
        """The platform does not let us write now: kept until the citizen writes again."""
        with self._db.session() as s:
            s.execute(
                update(DossierNotificationRow)
                .where(DossierNotificationRow.id == notification_id, DossierNotificationRow.state == PENDING)
                .values(state=HELD)
            )

    def release_held(self, sender_id: str) -> int:
        """The citizen wrote (their window is open again): their held notifications are due now."""
        with self._db.session() as s:
            released = s.execute(
                update(DossierNotificationRow)
                .where(DossierNotificationRow.sender_id == sender_id, DossierNotificationRow.state == HELD)
                .values(state=PENDING, next_attempt_at=utcnow())
            )
            return int(released.rowcount or 0)  # type: ignore[attr-defined]
