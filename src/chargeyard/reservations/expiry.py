"""The background sweep that expires reservations whose time is up, once in the cluster.

Stations free a reserved EVSE by themselves at expiry; this keeps Chargeyard's record in step
even when the station is offline or never reports it. The sweep is idempotent, but only the
worker holding the `reservations.expiry` lease runs it: the others would only contend for the
same rows. When that worker dies, another takes the lease over within its TTL.
"""

import asyncio
import contextlib
import logging

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.reservations.repository import due_reservations
from chargeyard.reservations.service import expire_due
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

LEASE = "reservations.expiry"


class ReservationExpiry:
    def __init__(
        self, db: Database, clock: Clock, leases: LeaseKeeper, interval_s: float = 1.0
    ) -> None:
        self._db = db
        self._leases = leases
        self._clock = clock
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="reservation-expiry")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def sweep(self) -> int:
        async with self._db.reading() as uow:
            if not await due_reservations(uow.session, self._clock()):
                return 0
        async with self._db.writing() as uow:
            expired = await expire_due(uow, self._clock)
            await uow.commit()
        return expired

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            try:
                if await self._leases.acquire(LEASE):
                    await self.sweep()
            except Exception:
                logger.exception("reservation expiry sweep failed")
