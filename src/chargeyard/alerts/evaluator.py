"""`AlertEvaluator`: the background job that raises and resolves alerts, once in the cluster.

It costs the OCPP hot path nothing: it reads the event log the core already writes, after the
sequencer has put it in commit order, and stored state (a station's `disconnected_at`), never
anything per message. The worker holding the `alerts.evaluator` lease runs it:

- **Follow**: judge the events after its cursor (`domain.judge`), raise and resolve alerts, and
  move the cursor, all in one transaction, so each event is judged exactly once across crashes
  and lease handovers. It is woken when the sequencer numbered new events and polls besides.
- **Sweep**: every `sweep_s`, raise offline alerts for stations away longer than their
  organization's threshold (from the stored disconnect time, so a restart or a handover loses
  nothing), and resolve those whose station is back; resolve the 2.x Problems a station did
  not report again within its organization's vendor-error threshold after an accepted boot.

A new database starts its cursor at the log's end as the migration found it: history is not
judged again. The loop, its wake-up, the lease and the log of a failed round are
`cluster/periodic.py: PeriodicJob`'s.
"""

import asyncio

from chargeyard.alerts import repository
from chargeyard.alerts.domain import EVENT_TYPES, Fact, Verdict, judge
from chargeyard.alerts.service import Judgement, condition_plan, offline_due, unreported_due
from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.events.repository import last_position
from chargeyard.storage.database import Database

LEASE = "alerts.evaluator"
BATCH = 500
CURSOR_SLACK = 10_000
"""Events of types no rule reads move the cursor only once this many have passed: a busy
station network (meter values) costs the evaluator a read per wake-up, not a write."""


class AlertEvaluator(PeriodicJob):
    """Its `wakeup` is fired by the wiring when events were sequenced (here or, through the bus,
    elsewhere)."""

    name = LEASE
    failure = "alert evaluation failed"

    def __init__(
        self, db: Database, clock: Clock, leases: LeaseKeeper, poll_s: float, sweep_s: float
    ) -> None:
        super().__init__(leases, min(poll_s, sweep_s))
        self.db = db
        self.clock = clock
        self.poll_s = poll_s
        self.sweep_s = sweep_s
        self._next_sweep = float("-inf")
        """The event loop's time of the next sweep (the first round sweeps)."""

    async def run_once(self) -> None:
        """Follow the log; sweep too once `sweep_s` has passed since the last sweep."""
        await self.follow()
        loop = asyncio.get_running_loop()
        if loop.time() >= self._next_sweep:
            self._next_sweep = loop.time() + self.sweep_s
            await self.sweep()

    async def follow(self) -> int:
        """Judge the events sequenced since the cursor; answers how many were read."""
        async with self.db.reading() as uow:
            start = await repository.cursor(uow.session) or 0
            upto = await last_position(uow.session)
            relevant = await repository.events_after(uow.session, start, upto, EVENT_TYPES, 1)
        if start >= upto or (not relevant and upto - start < CURSOR_SLACK):
            return 0
        total = 0
        while True:
            async with self.db.writing() as uow:
                start = await repository.cursor(uow.session, for_update=True) or 0
                upto = await last_position(uow.session)
                events = await repository.events_after(uow.session, start, upto, EVENT_TYPES, BATCH)
                verdicts: list[tuple[str, Verdict]] = [
                    (event.organization_id, verdict)
                    for event in events
                    for verdict in judge(
                        Fact(
                            event.type,
                            event.station_id,
                            event.transaction_id,
                            event.occurred_at,
                            event.data,
                        )
                    )
                ]
                await Judgement(uow, self.clock).apply(verdicts)
                full = len(events) == BATCH
                reached = events[-1].position if full and events[-1].position else upto
                await repository.move_cursor(uow.session, reached)
                await uow.commit()
            total += len(events)
            if not full:
                return total

    async def sweep(self) -> None:
        """Raise offline alerts that are due and resolve those whose station is back, then time
        the swept rules' conditions (`conditions.py`); a write only when there is something to
        write."""
        now = self.clock()
        async with self.db.reading() as uow:
            due = await offline_due(uow.session, now)
            back = await repository.offline_back(uow.session)
            unreported = bool(await unreported_due(uow.session, now))
        if due or back or unreported:
            async with self.db.writing() as uow:
                judgement = Judgement(uow, self.clock)
                await judgement.raise_offline(due)
                await judgement.resolve_back(back)
                await judgement.resolve_unreported(
                    await unreported_due(uow.session, now, locked=True)
                )
                await uow.commit()
        async with self.db.reading() as uow:
            pending = await condition_plan(uow.session, now)
        if pending:
            async with self.db.writing() as uow:
                steps = await condition_plan(uow.session, now)
                await Judgement(uow, self.clock).follow_conditions(steps, now)
                await uow.commit()
