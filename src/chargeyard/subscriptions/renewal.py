"""The background sweep that renews or expires subscriptions whose period is over, once in the
cluster.

Only the worker holding the `subscriptions.renewal` lease runs it (`cluster/periodic.py`), and each subscription is
renewed in a transaction of its own, read locked as an operator's change reads it (so the two
take turns, and the renewal decides on what the change left). The sweep is idempotent besides: a subscription that is no
longer due, or that another writer changed since the sweep read it, is left alone
(`SubscriptionService.period_ended`), and a period's row is unique per subscription and number,
so a fee is never booked twice for one period. A subscription several periods behind (the
server was down) catches up one period per round.
"""

import logging

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.storage.database import Database
from chargeyard.storage.session import IntegrityError
from chargeyard.subscriptions.repository import due_subscriptions
from chargeyard.subscriptions.service import SubscriptionService

logger = logging.getLogger(__name__)

LEASE = "subscriptions.renewal"


async def sweep(db: Database, clock: Clock) -> int:
    """Renew or expire every due subscription; returns how many changed."""
    async with db.reading() as uow:
        due = await due_subscriptions(uow.session, clock())
    changed = 0
    for organization_id, subscription_id in due:
        try:
            async with db.writing() as uow:
                service = SubscriptionService(uow, organization_id, clock)
                subscription = await service.subscriptions.to_renew(subscription_id)
                if subscription is None or await service.period_ended(subscription) is None:
                    continue
                await uow.commit()
                changed += 1
        except IntegrityError:
            logger.info("subscription %s was renewed by another writer", subscription_id)
    return changed


class SubscriptionRenewal(PeriodicJob):
    name = LEASE
    failure = f"the {LEASE} sweep failed"
    wait_first = True

    def __init__(
        self, db: Database, clock: Clock, leases: LeaseKeeper, interval_s: float = 5.0
    ) -> None:
        super().__init__(leases, interval_s)
        self._db = db
        self._clock = clock

    async def run_once(self) -> int:
        return await sweep(self._db, self._clock)
