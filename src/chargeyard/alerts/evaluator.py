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
judged again.
"""

import asyncio
import contextlib
import logging

from chargeyard.alerts import repository
from chargeyard.alerts.domain import EVENT_TYPES, Fact, Verdict, judge
from chargeyard.alerts.service import Judgement, condition_plan, offline_due, unreported_due
from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.repository import last_position
from chargeyard.events.signal import CommitSignal, wait
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

LEASE = "alerts.evaluator"
BATCH = 500
CURSOR_SLACK = 10_000
"""Events of types no rule reads move the cursor only once this many have passed: a busy
station network (meter values) costs the evaluator a read per wake-up, not a write."""


class AlertEvaluator:
    def __init__(
        self, db: Database, clock: Clock, leases: LeaseKeeper, poll_s: float, sweep_s: float
    ) -> None:
        self.db = db
        self.clock = clock
        self.leases = leases
        self.poll_s = poll_s
        self.sweep_s = sweep_s
        self.wakeup = CommitSignal()
        """Fired by the wiring when events were sequenced (here or, through the bus, elsewhere)."""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="alert-evaluator")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

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

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        while True:
            ticket = self.wakeup.ticket()
            try:
                if await self.leases.acquire(LEASE):
                    await self.follow()
                    if loop.time() >= next_sweep:
                        next_sweep = loop.time() + self.sweep_s
                        await self.sweep()
            except Exception:
                logger.exception("alert evaluation failed")
            await wait(ticket, min(self.poll_s, self.sweep_s))
