"""The one-stop-shop system (iGate) cannot tell us that a dossier changed: its subscribed dossiers are
looked at again from time to time, with exponential back-off.

Each subscription is first looked at ``first_seconds`` after it was made; a look that finds the same
status, or that fails (the system down, the breaker open), doubles the wait up to ``max_seconds`` — a
dossier that has not moved for days need not be asked about every minute, and a system in trouble is
not hammered. A change is recorded for every subscriber of that dossier, and its wait starts again
from ``first_seconds``. Run by the gateway's worker, in a thread (the connector is synchronous).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from assistant.database import utcnow
from assistant.dossiers.store import DossierLookupUnavailable, DossierStore
from assistant.dossiers.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollReport:
    looked: int = 0
    changed: int = 0
    failed: int = 0


class IGatePoller:
    def __init__(
        self,
        dossiers: DossierStore,
        subscriptions: SubscriptionStore,
        *,
        first_seconds: float,
        max_seconds: float,
    ) -> None:
        self._dossiers = dossiers
        self._subscriptions = subscriptions
        self._first = first_seconds
        self._max = max_seconds

    def poll_due(self) -> PollReport:
        """Look at every subscription that is due; notifications are recorded for the changes seen."""
        looked = changed = failed = 0
        for subscription in self._subscriptions.claim_due_checks():
            backed_off = min(self._max, max(self._first, subscription.check_interval_seconds * 2))
            try:
                record = self._dossiers.lookup(subscription.dossier_code)
            except DossierLookupUnavailable as exc:
                failed += 1
                log.warning(
                    "status poll of a subscribed dossier failed (next in %.0f s): %s", backed_off, exc
                )
                self._subscriptions.check_again_in(subscription.id, backed_off)
                continue
            looked += 1
            if record is None or record.status == subscription.status:
                self._subscriptions.check_again_in(subscription.id, backed_off)
                continue
            changed += self._subscriptions.record_change(subscription.dossier_code, record.status, utcnow())
            self._subscriptions.check_again_in(subscription.id, self._first)
        return PollReport(looked, changed, failed)
