"""Tasks a commit listener starts: held until they finish, cancelled when the server stops.

A commit listener must never block the commit, so the work an event calls for (a message to a
station, a read) runs as a task. asyncio keeps only a weak reference to a running task, so each
is held here until done, and `stop` cancels what is still running at shutdown.

`cancel_and_wait` ends one background loop (a periodic job, the lease keeper, the message-log
writer, the cluster heartbeat, the loop-lag monitor) the way each of their `stop()`s does.
"""

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any


class TrackedTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Until no task runs, those the running ones start included: what the events heard
        so far called for is done (a test waits on it before it changes the world again).
        Waiting is cancelled alone: the tasks go on."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def cancel_and_wait(task: "asyncio.Task[Any] | None") -> None:
    """Cancel `task`, if there is one, and wait until it has ended. For a loop that runs until
    the server stops: its cancellation is its normal end, so it is not raised here."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
