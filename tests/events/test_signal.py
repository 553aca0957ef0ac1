"""`events.signal.wait`, which the background loops (sequencer, webhook dispatcher, reports,
alerts) sleep in between polls, and which their `stop()` cancels."""

import asyncio

import pytest

from chargeyard.events.signal import CommitSignal, wait


async def test_woken_and_timed_out() -> None:
    signal = CommitSignal()
    ticket = signal.ticket()
    asyncio.get_running_loop().call_soon(signal.fire)
    assert await wait(ticket, 30) is True
    assert await wait(signal.ticket(), 0.01) is False


@pytest.mark.parametrize("turns", range(6))
async def test_a_cancel_landing_with_the_wakeup_is_not_lost(turns: int) -> None:
    """A loop stopped while it was being woken must stop. `asyncio.wait_for` on Python 3.11
    returns the inner result when the cancel arrives after the inner wait finished but before
    the waiter resumed; a `while True` loop then goes on and its `stop()` waits for ever (the
    server's shutdown hung so in CI). Every interleaving of the wake-up and the cancel, a
    scheduler turn apart, is tried."""
    signal = CommitSignal()
    waiting = asyncio.create_task(wait(signal.ticket(), 30))
    await asyncio.sleep(0)  # the task is now waiting
    signal.fire()
    for _ in range(turns):
        await asyncio.sleep(0)
    cancelled = waiting.cancel()
    if not cancelled:  # finished before the cancel: nothing to lose
        assert waiting.result() is True
        return
    with pytest.raises(asyncio.CancelledError):
        await waiting
