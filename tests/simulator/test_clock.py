import asyncio
from datetime import timedelta

from chargeyard.simulator.clock import ManualClock


async def test_sleepers_wake_only_when_time_is_advanced_past_them() -> None:
    clock = ManualClock()
    start = clock.now()
    woke: list[str] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append(name)

    tasks = [asyncio.create_task(sleeper("a", 60)), asyncio.create_task(sleeper("b", 30))]
    await clock.wait_for_sleepers(2)
    clock.advance(29)
    await asyncio.sleep(0)
    assert woke == []

    clock.advance(31)
    await asyncio.gather(*tasks)

    assert woke == ["b", "a"]
    assert clock.now() - start == timedelta(seconds=60)
