"""`TrackedTasks.idle`: waits for the tasks running and those they start; cancelling the wait
leaves them running."""

import asyncio

from chargeyard.tracked_tasks import TrackedTasks


async def test_idle_waits_for_the_tasks_and_those_they_start() -> None:
    tasks = TrackedTasks()
    release = asyncio.Event()
    done: list[str] = []

    async def second() -> None:
        await release.wait()
        done.append("second")

    async def first() -> None:
        tasks.spawn(second())
        done.append("first")

    tasks.spawn(first())
    waiting = asyncio.ensure_future(tasks.idle())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert done == ["first"] and not waiting.done()
    waiting.cancel()  # the wait alone is cancelled
    await asyncio.gather(waiting, return_exceptions=True)
    release.set()
    await tasks.idle()
    assert done == ["first", "second"]
    await tasks.idle()  # nothing running: returns at once
