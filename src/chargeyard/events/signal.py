"""The in-process wake-up for readers of the event log (sequencer, streams, webhook dispatcher).

Appended to `Database.commit_listeners`, a `CommitSignal` fires only after a transaction that
published events has committed (the sequencer and the dispatcher listen so); the streams' signal
is fired by the sequencer once it has given new events their positions. Waiters take a
`ticket()` *before* they query, then wait on it: a wake-up that lands between their query and
their wait still wakes them.
"""

import asyncio
from collections.abc import Sequence
from typing import Any

from chargeyard.events.domain import RecordedEvent


class CommitSignal:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def __call__(self, published: Sequence[Any]) -> None:
        if any(isinstance(row, RecordedEvent) for row in published):
            self.fire()

    def fire(self) -> None:
        fired, self._event = self._event, asyncio.Event()
        fired.set()

    def ticket(self) -> asyncio.Event:
        return self._event


async def wait(ticket: asyncio.Event, seconds: float) -> bool:
    """True when woken, False when `seconds` passed first.

    `asyncio.timeout`, not `asyncio.wait_for`: on Python 3.11 `wait_for` swallows a cancel that
    lands after the inner wait finished but before the caller resumed, and a polling loop
    stopped at that moment would run on while its `stop()` waits for it (a server shutdown
    hung so)."""
    try:
        async with asyncio.timeout(seconds):
            await ticket.wait()
    except TimeoutError:
        return False
    return True
