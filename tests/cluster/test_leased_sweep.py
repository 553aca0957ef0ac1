"""A leased sweep runs only while its worker holds the lease, and a failed round does not end it."""

import asyncio
from typing import Any

from chargeyard.cluster.leased_sweep import LeasedSweep


class Leases:
    """Stands in for `LeaseKeeper`: the lease is held while `held` is set."""

    def __init__(self) -> None:
        self.held = False
        self.asked: list[str] = []
        self.asked_five_times = asyncio.Event()

    async def acquire(self, name: str) -> bool:
        self.asked.append(name)
        if len(self.asked) >= 5:
            self.asked_five_times.set()
        return self.held


async def test_a_sweep_runs_while_its_lease_is_held_and_survives_a_failure() -> None:
    leases = Leases()
    rounds: list[str] = []
    done = asyncio.Event()

    async def sweep() -> None:
        rounds.append("round")
        if len(rounds) == 1:
            raise RuntimeError("the database went away")
        if len(rounds) == 3:
            done.set()

    runner = LeasedSweep(leases, "test.sweep", 0.001, sweep)  # type: ignore[arg-type]
    runner.start()
    try:
        await asyncio.wait_for(leases.asked_five_times.wait(), 30)
        assert rounds == []  # not held: asked, never swept
        leases.held = True
        await asyncio.wait_for(done.wait(), 30)
    finally:
        await runner.stop()
    assert rounds == ["round"] * 3  # the failed first round did not stop it
    assert set(leases.asked) == {"test.sweep"}


async def test_stopping_before_starting_is_harmless() -> None:
    async def sweep() -> Any:
        return None

    await LeasedSweep(Leases(), "test.sweep", 1.0, sweep).stop()  # type: ignore[arg-type]
