"""The background sweep that expires reservations whose time is up, once in the cluster.

Stations free a reserved EVSE by themselves at expiry; this keeps Chargeyard's record in step
even when the station is offline or never reports it. The sweep is idempotent, but only the
worker holding the `reservations.expiry` lease runs it: the others would only contend for the
same rows. When that worker dies, another takes the lease over within its TTL
(`cluster/periodic.py`).
"""

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.reservations.repository import due_reservations
from chargeyard.reservations.service import expire_due
from chargeyard.storage.database import Database

LEASE = "reservations.expiry"


class ReservationExpiry(PeriodicJob):
    name = LEASE
    failure = f"the {LEASE} sweep failed"
    wait_first = True

    def __init__(
        self, db: Database, clock: Clock, leases: LeaseKeeper, interval_s: float = 1.0
    ) -> None:
        super().__init__(leases, interval_s)
        self._db = db
        self._clock = clock

    async def run_once(self) -> int:
        return await self.sweep()

    async def sweep(self) -> int:
        async with self._db.reading() as uow:
            if not await due_reservations(uow.session, self._clock()):
                return 0
        async with self._db.writing() as uow:
            expired = await expire_due(uow, self._clock)
            await uow.commit()
        return expired
