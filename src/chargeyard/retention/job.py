"""`RetentionJob`: the retention pass run periodically, once in the cluster.

Only the worker holding the `retention` lease runs it: two would contend for the same rows and,
worse, fold the same raw samples into the rollup twice. Its first pass runs one interval after
start, so a server starting up serves its stations before it cleans up
(`cluster/periodic.py: PeriodicJob` runs the loop).
"""

import logging

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.retention.domain import RetentionPolicy, RetentionReport
from chargeyard.retention.service import run_pass
from chargeyard.settings import Settings
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

LEASE = "retention"


def policy_of(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        message_log_days=settings.retention_message_log_days or None,
        meter_values_days=settings.retention_meter_values_days or None,
        events_days=settings.retention_events_days or None,
        webhook_deliveries_days=settings.retention_webhook_deliveries_days or None,
        batch_size=settings.retention_batch_size,
    )


class RetentionJob(PeriodicJob):
    name = LEASE
    failure = "retention pass failed"
    wait_first = True

    def __init__(self, db: Database, clock: Clock, leases: LeaseKeeper, settings: Settings) -> None:
        interval_s = settings.retention_interval_s
        super().__init__(leases, interval_s, enabled=interval_s > 0)
        self._db = db
        self._clock = clock
        self._policy = policy_of(settings)

    async def run_once(self) -> RetentionReport:
        report = await run_pass(self._db, self._policy, self._clock())
        if any(vars(report).values()):
            logger.info("retention pass deleted %s", report)
        return report
