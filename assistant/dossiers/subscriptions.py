"""Conversations subscribed to a dossier's status, and the record of each change they must be told of.

A citizen subscribes after a lookup that passed the second factor (``actions``); a change of status
writes one notification per subscriber in the transaction that saw it — the SQL store's write
(``sql_store``) or the one-stop-shop poller (``igate_poller``) — and the gateway sends it
(``api/notifications.py``). A dossier that reaches a status after which nothing more happens ends its
subscriptions with that last notification. Raises ``DatabaseUnavailable`` when the database is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.database import Database, DatabaseUnavailable, to_utc, utcnow
from assistant.dossiers.status import DossierStatus
from assistant.tables import DossierNotificationRow, DossierSubscriptionRow

# Nothing follows these: the last notification ends the subscription. "Đã xử lý xong" is not among
# them, since "Đã trả kết quả" may still come.
FINAL_STATUSES = frozenset(
    {DossierStatus.REJECTED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED}
)
PENDING = "pending"


@dataclass(frozen=True)
class Subscription:
    id: int
    dossier_code: str
    sender_id: str
    status: DossierStatus
    check_interval_seconds: float


class SubscriptionStore:
    def __init__(self, database: Database, *, first_check_seconds: float = 300.0) -> None:
        self._db = database
        self._first_check = first_check_seconds

    def subscribe(self, code: str, sender_id: str, status: DossierStatus) -> bool:
        """Follow ``code`` from its current ``status``; False when this conversation already does."""
        now = utcnow()
        try:
            with self._db.session() as s:
                if _active(s, code, sender_id) is not None:
                    return False
                s.add(
                    DossierSubscriptionRow(
                        dossier_code=code,
                        sender_id=sender_id,
                        status=int(status),
                        created_at=now,
                        next_check_at=now + timedelta(seconds=self._first_check),
                        check_interval_seconds=self._first_check,
                    )
                )
        except DatabaseUnavailable as exc:
            if isinstance(exc.__cause__, IntegrityError):
                return False  # the same request twice at once: the other one subscribed
            raise
        return True

    def unsubscribe(self, sender_id: str, code: str | None = None) -> list[str]:
        """End this conversation's subscriptions (to ``code`` only, when given); the codes ended."""
        with self._db.session() as s:
            query = select(DossierSubscriptionRow).where(
                DossierSubscriptionRow.sender_id == sender_id, DossierSubscriptionRow.ended_at.is_(None)
            )
            if code is not None:
                query = query.where(DossierSubscriptionRow.dossier_code == code)
            rows = s.scalars(query).all()
            now = utcnow()
            for row in rows:
                row.ended_at = now
            # Changes not yet told are not told any more: the citizen said stop.
            s.execute(
                update(DossierNotificationRow)
                .where(
                    DossierNotificationRow.subscription_id.in_([r.id for r in rows]),
                    DossierNotificationRow.state != "done",
                )
                .values(state="done", delivery="unsubscribed", done_at=now)
            )
            return sorted(r.dossier_code for r in rows)

    def active(self, sender_id: str) -> list[Subscription]:
        with self._db.session() as s:
            rows = s.scalars(
                select(DossierSubscriptionRow)
                .where(
                    DossierSubscriptionRow.sender_id == sender_id, DossierSubscriptionRow.ended_at.is_(None)
                )
                .order_by(DossierSubscriptionRow.id)
            )
            return [_subscription(r) for r in rows]

    def claim_due_checks(self, *, lease_seconds: float = 120, limit: int = 20) -> list[Subscription]:
        """Subscriptions whose dossier should be looked at again now, each leased to the caller."""
        now = utcnow()
        claimed = []
        with self._db.session() as s:
            rows = s.scalars(
                select(DossierSubscriptionRow)
                .where(DossierSubscriptionRow.ended_at.is_(None), DossierSubscriptionRow.next_check_at <= now)
                .order_by(DossierSubscriptionRow.next_check_at)
                .limit(limit)
            ).all()
            for row in rows:
                taken = s.execute(
                    update(DossierSubscriptionRow)
                    .where(
                        DossierSubscriptionRow.id == row.id,
                        DossierSubscriptionRow.next_check_at == row.next_check_at,
                    )
                    .values(next_check_at=now + timedelta(seconds=lease_seconds))
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount:  # type: ignore[attr-defined]
                    claimed.append(_subscription(row))
        return claimed

    def check_again_in(self, subscription_id: int, interval_seconds: float) -> None:
        """The next look at this subscription's dossier, ``interval_seconds`` from now."""
        with self._db.session() as s:
            s.execute(
                update(DossierSubscriptionRow)
                .where(DossierSubscriptionRow.id == subscription_id)
                .values(
                    next_check_at=utcnow() + timedelta(seconds=interval_seconds),
                    check_interval_seconds=interval_seconds,
                )
            )

    def record_change(self, code: str, status: DossierStatus, changed_at: datetime) -> int:
        """A status seen outside our tables (the one-stop-shop poller): told to whoever does not know it."""
        with self._db.session() as s:
            return record_status_change(s, code, status, changed_at)


def record_status_change(session: Session, code: str, status: DossierStatus, changed_at: datetime) -> int:
    """In the caller's transaction: one notification per active subscriber of ``code`` that does not
    know ``status`` yet; how many were written. A final status ends the subscriptions it is told to."""
    now = utcnow()
    rows = session.scalars(
        select(DossierSubscriptionRow).where(
            DossierSubscriptionRow.dossier_code == code,
            DossierSubscriptionRow.ended_at.is_(None),
            DossierSubscriptionRow.status != int(status),
        )
    ).all()
    for row in rows:
        row.status = int(status)
        if status in FINAL_STATUSES:
            row.ended_at = now
        session.add(
            DossierNotificationRow(
                subscription_id=row.id,
                sender_id=row.sender_id,
                dossier_code=code,
                status=int(status),
                changed_at=to_utc(changed_at),
                created_at=now,
                state=PENDING,
                next_attempt_at=now,
            )
        )
    return len(rows)


def _active(session: Session, code: str, sender_id: str) -> DossierSubscriptionRow | None:
    return session.scalar(
        select(DossierSubscriptionRow).where(
            DossierSubscriptionRow.dossier_code == code,
            DossierSubscriptionRow.sender_id == sender_id,
            DossierSubscriptionRow.ended_at.is_(None),
        )
    )


def _subscription(row: DossierSubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        dossier_code=row.dossier_code,
        sender_id=row.sender_id,
        status=DossierStatus(row.status),
        check_interval_seconds=float(row.check_interval_seconds),
    )
