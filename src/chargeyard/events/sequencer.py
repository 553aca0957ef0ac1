"""`EventSequencer`: gives committed events their `position`, in commit order, once in the cluster.

Readers of the log (live streams on every node, the webhook fan-out, the smart-charging tail)
follow `position`, never `seq` (see `models.py` for why). The worker holding the
`events.sequencer` lease numbers the committed events that have no position yet, in batches,
and then tells its local readers (`on_sequenced`); other nodes' readers find the new positions by
polling every `events_poll_s` (or at once, when a cluster bus calls their wake-up). It is woken
by local commits that published events and polls every `poll_s` for other nodes' commits.

Correctness rests on one rule: batches never overlap. A batch reads the highest position given
and numbers on from it inside one transaction; on PostgreSQL that transaction first takes a
transaction-level advisory lock (so even two workers that both believe they hold the lease, for
the moment it changes hands, cannot interleave), and on SQLite the single writer serialises it.
So positions become visible in increasing order, and an event that commits late simply gets a
later position: none is skipped, whatever order the sequence gave `seq` in.

The loop, its wake-up, the lease and the log of a failed round are
`cluster/periodic.py: PeriodicJob`'s.
"""

import contextlib
from collections.abc import Callable

from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.events import repository
from chargeyard.storage.database import Database

LEASE = "events.sequencer"
BATCH = 1000


class EventSequencer(PeriodicJob):
    """Its `wakeup` listens to this node's commits while it runs."""

    name = LEASE
    failure = "event sequencing failed"

    def __init__(
        self,
        db: Database,
        leases: LeaseKeeper,
        poll_s: float,
        on_sequenced: Callable[[], None],
    ) -> None:
        super().__init__(leases, poll_s)
        self.db = db
        self.on_sequenced = on_sequenced

    def start(self) -> None:
        self.db.commit_listeners.append(self.wakeup)
        super().start()

    async def stop(self) -> None:
        await super().stop()
        with contextlib.suppress(ValueError):
            self.db.commit_listeners.remove(self.wakeup)

    async def run_once(self) -> int:
        """Sequence, and tell the local readers when there was something to number."""
        count = await self.sequence()
        if count:
            self.on_sequenced()
        return count

    async def sequence(self) -> int:
        """Number every committed event that has no position yet; answers how many."""
        async with self.db.reading() as uow:
            if not await repository.has_unsequenced(uow.session):
                return 0
        total = 0
        while True:
            async with self.db.writing() as uow:
                if not self.db.is_sqlite and not await repository.lock_sequencing(uow.session):
                    return total  # another sequencer is at it; it will number these too
                count = await repository.sequence(uow.session, BATCH)
                await uow.commit()
            total += count
            if count < BATCH:
                return total
