"""A periodic job runs a round every period while its worker holds the lease, sooner when woken,
logs a failed round and goes on, and stops at once; only one worker of a cluster runs it.

Time passes only when a test says so: the job's pause is injected (`Timer`), so no test waits
for the clock, and the periods the job asked for are read back."""

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.models import LeaseRow
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.cluster.leased_nodes import until
from tests.support.databases import fresh_database

BOUND_S = 30
"""A bound on a hang, never what decides an outcome."""


class Timer:
    """The injected pause: returns when woken (the ticket) or when the test calls `elapse()`."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.paused = asyncio.Event()
        self._elapsed = asyncio.Event()

    async def pause(self, ticket: asyncio.Event, seconds: float) -> bool:
        self.waits.append(seconds)
        elapsed = self._elapsed
        self.paused.set()
        woken = asyncio.ensure_future(ticket.wait())
        passed = asyncio.ensure_future(elapsed.wait())
        try:
            await asyncio.wait({woken, passed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            passed.cancel()
        return ticket.is_set()

    async def until_paused(self) -> None:
        async with asyncio.timeout(BOUND_S):
            await self.paused.wait()
        self.paused.clear()

    def elapse(self) -> None:
        fired, self._elapsed = self._elapsed, asyncio.Event()
        fired.set()


class Leases:
    """Stands in for `LeaseKeeper`: the lease is held while `held` is set."""

    def __init__(self, held: bool = True) -> None:
        self.held = held
        self.asked: list[str] = []

    async def acquire(self, name: str) -> bool:
        self.asked.append(name)
        return self.held


class Counting(PeriodicJob):
    name = "test.counting"
    failure = "counting round failed"

    def __init__(self, leases: object, timer: Timer, *, failing: int = 0, **options: bool) -> None:
        super().__init__(leases, 5.0, pause=timer.pause, **options)  # type: ignore[arg-type]
        self.rounds = 0
        self.failing = failing
        self.ran = asyncio.Event()

    async def run_once(self) -> int:
        self.rounds += 1
        self.ran.set()
        if self.rounds <= self.failing:
            raise RuntimeError("the database went away")
        return self.rounds


class WaitingFirst(Counting):
    wait_first = True


class Stuck(PeriodicJob):
    name = "test.stuck"
    failure = "stuck round failed"

    def __init__(self, timer: Timer) -> None:
        super().__init__(Leases(), 5.0, pause=timer.pause)  # type: ignore[arg-type]
        self.entered = asyncio.Event()

    async def run_once(self) -> None:
        self.entered.set()
        await asyncio.Event().wait()  # a round that never ends by itself


async def ran(job: Counting) -> None:
    async with asyncio.timeout(BOUND_S):
        await job.ran.wait()
    job.ran.clear()


async def test_it_runs_at_start_then_once_a_period() -> None:
    timer = Timer()
    leases = Leases()
    job = Counting(leases, timer)
    job.start()
    try:
        await ran(job)
        await timer.until_paused()
        assert job.rounds == 1 and timer.waits == [5.0]  # the period the job was given
        timer.elapse()
        await ran(job)
        await timer.until_paused()
        assert job.rounds == 2 and timer.waits == [5.0, 5.0]
    finally:
        await job.stop()
    assert leases.asked == ["test.counting"] * 2  # its name is its lease


async def test_a_job_that_waits_first_runs_one_period_after_start() -> None:
    timer = Timer()
    job = WaitingFirst(Leases(), timer)
    job.start()
    try:
        await timer.until_paused()
        assert job.rounds == 0
        timer.elapse()
        await ran(job)
        assert job.rounds == 1
    finally:
        await job.stop()


async def test_a_wakeup_runs_the_next_round_before_the_period_is_over() -> None:
    timer = Timer()
    job = Counting(Leases(), timer)
    job.start()
    try:
        await ran(job)
        await timer.until_paused()
        job.wakeup.fire()
        await ran(job)
        assert job.rounds == 2
    finally:
        await job.stop()


async def test_a_failed_round_is_logged_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    timer = Timer()
    job = Counting(Leases(), timer, failing=1)
    with caplog.at_level(logging.ERROR):
        job.start()
        try:
            await ran(job)
            await timer.until_paused()
            timer.elapse()
            await ran(job)
            await timer.until_paused()
        finally:
            await job.stop()
    assert job.rounds == 2
    [record] = caplog.records
    assert record.message == "counting round failed"
    assert record.name == __name__  # the job's own module logs it
    assert record.exc_info is not None and "database went away" in str(record.exc_info[1])


async def test_without_the_lease_it_asks_every_period_and_never_runs() -> None:
    timer = Timer()
    leases = Leases(held=False)
    job = Counting(leases, timer)
    job.start()
    try:
        for _ in range(3):
            await timer.until_paused()
            timer.elapse()
        await timer.until_paused()
        assert job.rounds == 0 and leases.asked == ["test.counting"] * 4
        leases.held = True  # the holder died: this worker took the lease over
        timer.elapse()
        await ran(job)
    finally:
        await job.stop()


async def test_stop_ends_a_round_in_flight_at_once() -> None:
    job = Stuck(Timer())
    job.start()
    async with asyncio.timeout(BOUND_S):
        await job.entered.wait()
        await job.stop()


async def test_a_disabled_job_starts_nothing_and_stopping_is_harmless() -> None:
    timer = Timer()
    job = Counting(Leases(), timer, enabled=False)
    job.start()
    await job.stop()
    assert job.rounds == 0 and timer.waits == []
    await Counting(Leases(), timer).stop()  # never started


async def test_only_the_worker_holding_the_lease_runs_a_round(tmp_path: Path) -> None:
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        db = Database(url)
        first, second = LeaseKeeper(db, "worker-1", 12.0), LeaseKeeper(db, "worker-2", 12.0)
        try:
            holder, other = Counting(first, Timer()), Counting(second, Timer())
            assert await holder.round() == 1
            assert await other.round() is None  # refused: the lease is worker-1's
            assert await holder.round() == 2
            await first.stop()  # gives the lease up
            await second.renew()  # worker-2's keeper asks again on its renewal round
            assert await other.round() == 1
            assert other.rounds == 1 and holder.rounds == 2
        finally:
            await second.stop()
            await db.dispose()


async def test_a_lease_that_lapsed_behind_a_held_writer_is_taken_back_once_it_is_free(
    tmp_path: Path,
) -> None:
    # Renewing a lease is a write: behind a writer that holds it up longer than the lease's
    # trusted part, the holder stops trusting it. Its job is refused nothing: its next round
    # asks again, waits for the writer like any write, and runs (a job stalled for good was
    # suspected when a stream test timed out after a test that held the writer for 30 s).
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        db = Database(url)
        keeper, timer = LeaseKeeper(db, "worker-1", 0.3), Timer()
        job = Counting(keeper, timer)
        keeper.start()
        job.start()
        try:
            await ran(job)
            await timer.until_paused()
            async with db.writing() as uow:
                # SQLite's writer is single, so holding it is enough; on PostgreSQL renewals
                # queue behind the lease row's lock (without it the lease lapsed only when the
                # machine was too slow to renew it, and a fast CI machine failed the test).
                await uow.session.execute(
                    select(LeaseRow).where(LeaseRow.name == job.name).with_for_update()
                )

                async def lapsed() -> bool:  # its renewals queue behind this writer
                    return not keeper.holds(job.name)

                await until(lapsed, BOUND_S)
                timer.elapse()  # the next round asks for the lease while the writer is held
            await ran(job)
            assert job.rounds == 2  # a round runs only once the lease is held again
        finally:
            await job.stop()
            await keeper.stop()
            await db.dispose()
