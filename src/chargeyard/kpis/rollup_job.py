"""`UtilisationRollup`: the background job that keeps the KPIs' daily rollup (`rollup.py`),
once in the cluster (the node holding the `kpis.rollup` lease).

Each pass:

- **Follow** the event log from its cursor (`utilisation_rollup_cursor`): a change that can
  alter days already rolled up (`days.stale_from`: a late status, a late chargingState, a
  session closed afterwards, a maintenance window changed) deletes those rows; the cursor moves
  in the same transaction, so each change is judged once across crashes and lease handovers.
- **Fill** the days that are over and settled (`SETTLE` after their end) within the last
  `keep_days`, for each organization's stations in service, oldest first, one organization-day
  per transaction and at most `DAYS_PER_PASS` a pass, so a first pass over a large history
  spreads over many.

The rows are a cache: a reader measures what they lack from the histories, with the same answer.
The loop, the lease and the log of a failed pass are `cluster/periodic.py: PeriodicJob`'s.
"""

from collections import defaultdict
from datetime import date, timedelta

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.events.repository import last_position
from chargeyard.kpis import rollup_repository
from chargeyard.kpis.days import DAY, EVERY_DAY, day_of, start_of
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.rollup import day_rows, stale_days
from chargeyard.kpis.service import KpiService
from chargeyard.storage.database import Database

LEASE = "kpis.rollup"
BATCH = 1000
SETTLE = timedelta(minutes=5)
"""A day is rolled up once it has been over this long: a chargingState reported up to a minute
late carries no event of its own (`transaction_events.service.LATE`), so it must have landed."""
DAYS_PER_PASS = 50


class UtilisationRollup(PeriodicJob):
    name = LEASE
    failure = "utilisation rollup failed"

    def __init__(
        self, db: Database, clock: Clock, leases: LeaseKeeper, period_s: float, keep_days: int
    ) -> None:
        super().__init__(leases, period_s, enabled=period_s > 0 and keep_days > 0)
        self.db = db
        self.clock = clock
        self.keep_days = keep_days

    async def run_once(self) -> int:
        """One pass: follow the log, then fill; answers how many organization-days it wrote."""
        await self.follow()
        return await self.fill()

    async def follow(self) -> None:
        """Judge the changes after the cursor; a write only when there are new events (one
        statement to move the cursor, and a DELETE only for a change to a day rolled up)."""
        async with self.db.reading() as uow:
            if await last_position(uow.session) <= await rollup_repository.cursor(uow.session):
                return
        # No row exists yet for this day or later: a change from it on makes nothing stale.
        unrolled = day_of(self.clock() - SETTLE)
        while True:
            async with self.db.writing() as uow:
                start = await rollup_repository.cursor(uow.session)
                upto = await last_position(uow.session)
                if upto <= start:
                    return
                changes, reached = await rollup_repository.changes_after(
                    uow.session, start, upto, BATCH
                )
                by_organization: dict[str, list[rollup_repository.Change]] = defaultdict(list)
                for change in changes:
                    by_organization[change[0]].append(change)
                for organization_id, found in by_organization.items():
                    for station, since in stale_days(found).items():
                        if since >= unrolled:
                            continue
                        await rollup_repository.forget(
                            uow.session,
                            organization_id,
                            station,
                            None if since == EVERY_DAY else since,
                        )
                await rollup_repository.move_cursor(uow.session, reached)
                await uow.commit()
            if reached >= upto:
                return

    async def fill(self) -> int:
        now = self.clock()
        last = day_of(now - SETTLE) - DAY
        first = last - timedelta(days=self.keep_days - 1)
        async with self.db.reading() as uow:
            stations = await rollup_repository.in_service(uow.session)
        written = 0
        for organization_id, registered in stations.items():
            expected = {station: max(first, day_of(at)) for station, at in registered.items()}
            wanted = sum((last - since).days + 1 for since in expected.values() if since <= last)
            async with self.db.reading() as uow:
                have = await rollup_repository.counted_days(
                    uow.session, organization_id, list(registered), first
                )
                if have >= wanted:
                    continue
                filled = await rollup_repository.filled_by_day(
                    uow.session, organization_id, first, last
                )
            day = min(expected.values(), default=last + DAY)
            while day <= last and written < DAYS_PER_PASS:
                missing = {s for s, since in expected.items() if since <= day} - filled.get(
                    day, set()
                )
                if missing:
                    await self._fill_day(organization_id, day, missing)
                    written += 1
                day += DAY
        return written

    async def _fill_day(self, organization_id: str, day: date, missing: set[str]) -> None:
        async with self.db.writing() as uow:
            service = KpiService(uow.session, Scope(organization_id), self.clock, rollup=False)
            histories = await service.histories(start_of(day), start_of(day) + DAY, charging=True)
            wanted = {s: h for s, h in histories.items() if s in missing}
            # Rows of this day written meanwhile (a previous holder of the lease) are replaced.
            for station in wanted:
                await rollup_repository.forget_day(uow.session, organization_id, station, day)
            rollup_repository.store(uow.session, day_rows(service, organization_id, wanted, day))
            await uow.commit()
