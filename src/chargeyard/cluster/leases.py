"""`LeaseKeeper`: holds this worker's leases on jobs that must run once in the cluster.

A job asks `await keeper.acquire(name)` before a round and runs the round only when it answers
True (the keeper then goes on renewing the lease and retrying it when lost), and checks
`keeper.holds(name)` between steps of a long round. Leases are renewed every `ttl_s / 3`; a
worker that cannot renew (it died, hangs, or lost the database) stops believing it holds a lease
a quarter of the TTL before the lease's expiry, measured on its own monotonic clock from
*before* the write that set it, so the next holder never overlaps it (assuming nodes' wall clocks agree within a fraction of
the TTL: keep them NTP-synced). A dead worker's leases expire `ttl_s` after its last renewal and
the first surviving worker to ask takes them over; a worker that stops gives its leases up at
once.

Lease times use the wall clock, never the server's injectable clock: a test that freezes time
must not freeze leases.
"""

import asyncio
import logging
import time
from datetime import timedelta

from chargeyard.clock import Clock, utcnow
from chargeyard.cluster import repository
from chargeyard.storage.database import Database
from chargeyard.tracked_tasks import cancel_and_wait

logger = logging.getLogger(__name__)

RENEWALS_PER_TTL = 3
TRUSTED_PART = 0.75
"""A worker trusts a lease for this part of the TTL after the write that set it: the rest is
slack for clock skew between nodes and for the write's own duration."""


class LeaseKeeper:
    def __init__(self, db: Database, holder: str, ttl_s: float, clock: Clock = utcnow) -> None:
        self.db = db
        self.holder = holder
        self.ttl_s = ttl_s
        self.clock = clock
        """The expiry written on a lease row: the nodes' wall clock, which every node compares
        with its own (run NTP); the wiring leaves it so even where a test sets the server's."""
        self._held: dict[str, float] = {}
        """Lease name -> monotonic time until which this worker may act on it."""
        self._wanted: set[str] = set()
        self._refused_until: dict[str, float] = {}
        """Lease name -> monotonic time before which `acquire` does not ask again."""
        self._task: asyncio.Task[None] | None = None

    def holds(self, name: str) -> bool:
        """Whether this worker may run `name`'s job now."""
        until = self._held.get(name)
        return until is not None and time.monotonic() < until

    async def acquire(self, name: str) -> bool:
        """Hold `name` (take it if free or expired); from now on the keeper renews it, or keeps
        asking for it. False when another live worker holds it. Costs a write only when this
        worker does not hold it, and then at most once per renewal period (a job may ask every
        round; the renewal task asks on its behalf in between)."""
        self._wanted.add(name)
        if self.holds(name):
            return True
        if time.monotonic() < self._refused_until.get(name, 0.0):
            return False
        return await self._try(name)

    async def _try(self, name: str) -> bool:
        started, now = time.monotonic(), self.clock()
        async with self.db.writing() as uow:
            won = await repository.acquire(
                uow.session, name, self.holder, now, now + timedelta(seconds=self.ttl_s)
            )
            await uow.commit()
        if won:
            if name not in self._held:
                logger.info("%s took lease %s", self.holder, name)
            self._held[name] = started + self.ttl_s * TRUSTED_PART
            self._refused_until.pop(name, None)
        else:
            self._lost(name)
            self._refused_until[name] = started + self.ttl_s / RENEWALS_PER_TTL
        return won

    async def release(self, name: str) -> None:
        """Stop wanting `name` and give it up now."""
        self._wanted.discard(name)
        if self._held.pop(name, None) is not None:
            async with self.db.writing() as uow:
                await repository.release(uow.session, [name], self.holder)
                await uow.commit()

    async def renew(self) -> None:
        """Extend every lease held; then ask again for those wanted and not held."""
        held = [name for name in self._held if self.holds(name)]
        for name in set(self._held) - set(held):
            self._lost(name)
        if held:
            started, now = time.monotonic(), self.clock()
            async with self.db.writing() as uow:
                kept = await repository.renew(
                    uow.session, held, self.holder, now + timedelta(seconds=self.ttl_s)
                )
                await uow.commit()
            for name in held:
                if name in kept:
                    self._held[name] = started + self.ttl_s * TRUSTED_PART
                else:
                    self._lost(name)
        for name in self._wanted - set(self._held):
            await self._try(name)

    def _lost(self, name: str) -> None:
        if self._held.pop(name, None) is not None:
            logger.warning("%s lost lease %s", self.holder, name)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lease-keeper")

    async def stop(self) -> None:
        """Stop renewing and give every lease up, so other workers take over at once."""
        await cancel_and_wait(self._task)
        names, self._held = list(self._held), {}
        self._wanted.clear()
        try:
            async with self.db.writing() as uow:
                await repository.release(uow.session, names, self.holder)
                await uow.commit()
        except Exception:
            logger.exception("could not release leases; they expire in %.0f s", self.ttl_s)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.ttl_s / RENEWALS_PER_TTL)
            try:
                await self.renew()
            except Exception:
                logger.exception("lease renewal failed")
