import asyncio
import itertools
from collections.abc import Awaitable, Callable

from chargeyard.simulator.scheduler import Scheduler


async def test_jobs_repeat_at_the_delay_they_return() -> None:
    scheduler = Scheduler()
    runs: list[float] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    fourth = asyncio.Event()

    async def job() -> float | None:
        runs.append(loop.time() - started)
        if len(runs) < 4:
            return 0.02
        fourth.set()
        return None  # not again

    task = asyncio.create_task(scheduler.run())
    scheduler.call_later(0.01, job)
    await asyncio.wait_for(fourth.wait(), 30)
    task.cancel()

    assert len(runs) == 4
    assert runs[0] >= 0.01
    assert all(later - earlier >= 0.019 for earlier, later in itertools.pairwise(runs))


async def test_an_earlier_job_added_later_runs_first() -> None:
    scheduler = Scheduler()
    order: list[str] = []
    early_ran = asyncio.Event()

    def job(name: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            order.append(name)
            early_ran.set()

        return run

    task = asyncio.create_task(scheduler.run())
    scheduler.call_later(60, job("late"))  # far enough that no stall of the machine reaches it
    await asyncio.sleep(0)  # the scheduler now waits for the late job
    scheduler.call_later(0.01, job("early"))
    await asyncio.wait_for(early_ran.wait(), 30)
    task.cancel()

    assert order == ["early"]
    assert len(scheduler) == 1  # the late one still waits


async def test_a_failing_job_is_dropped_and_others_go_on() -> None:
    scheduler = Scheduler()
    ticks = 0
    ticked_five_times = asyncio.Event()

    async def broken() -> float:
        raise RuntimeError("bug")

    async def healthy() -> float:
        nonlocal ticks
        ticks += 1
        if ticks >= 5:
            ticked_five_times.set()
        return 0.01

    task = asyncio.create_task(scheduler.run())
    scheduler.call_later(0, broken)
    scheduler.call_later(0, healthy)
    await asyncio.wait_for(ticked_five_times.wait(), 30)  # the healthy job kept running

    assert len(scheduler) == 1
    task.cancel()


async def test_cancelling_the_scheduler_cancels_running_jobs() -> None:
    scheduler = Scheduler()
    cancelled = asyncio.Event()

    async def slow() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task = asyncio.create_task(scheduler.run())
    scheduler.call_later(0, slow)
    await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert cancelled.is_set()


async def test_draining_lets_a_running_job_finish_and_starts_no_more() -> None:
    """A fleet stopping mid-exchange must not cut a StartTransaction off from its answer."""
    scheduler = Scheduler()
    started, answer, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()
    runs = 0

    async def exchange() -> float:
        nonlocal runs
        runs += 1
        started.set()
        await answer.wait()  # the answer is still on its way when the drain begins
        finished.set()
        return 0.0  # would run again at once, were the scheduler not draining

    task = asyncio.create_task(scheduler.run())
    scheduler.call_later(0, exchange)
    await asyncio.wait_for(started.wait(), 30)
    drain = asyncio.create_task(scheduler.drain(30))
    await asyncio.sleep(0)
    assert not drain.done()
    answer.set()
    await asyncio.wait_for(drain, 30)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert finished.is_set() and runs == 1
    assert len(scheduler) == 0


async def test_a_drain_gives_up_on_a_job_that_outlasts_it() -> None:
    scheduler = Scheduler()
    started, never = asyncio.Event(), asyncio.Event()
    cancelled = False

    async def stuck() -> None:
        nonlocal cancelled
        started.set()
        try:
            await never.wait()
        except asyncio.CancelledError:
            cancelled = True
            raise

    task = asyncio.create_task(scheduler.run())
    scheduler.call_later(0, stuck)
    await asyncio.wait_for(started.wait(), 30)
    await scheduler.drain(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert cancelled  # stopping the scheduler still cancels what the drain left running
