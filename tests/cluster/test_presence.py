"""A station that moves to another worker closes its old socket there, and only there; a notice
that arrives after the station came back is stale and closes nothing."""

import asyncio

from chargeyard.cluster.mailbox import Mailbox
from chargeyard.cluster.presence import StationPresence
from tests.cluster.conftest import MakeBus


async def presence(make_bus: MakeBus, closed: "asyncio.Queue[str]") -> StationPresence:
    mailbox = Mailbox(await make_bus())
    await mailbox.start()
    made = StationPresence(mailbox.bus, mailbox)

    async def close_local(station_id: str) -> None:
        closed.put_nowait(f"{made.worker_id}/{station_id}")

    made.on_replaced(close_local)
    return made


async def test_the_previous_holder_and_only_it_closes_its_socket(make_bus: MakeBus) -> None:
    closed: asyncio.Queue[str] = asyncio.Queue()
    a, b, c = [await presence(make_bus, closed) for _ in range(3)]
    try:
        await a.claim("CP-1")
        await b.claim("CP-1")
        async with asyncio.timeout(10):
            assert await closed.get() == f"{a.worker_id}/CP-1"
        assert await a.release("CP-1") is False  # a's teardown: not a disconnection
        await c.claim("CP-1")
        async with asyncio.timeout(10):
            assert await closed.get() == f"{b.worker_id}/CP-1"
        assert closed.empty()
    finally:
        for made in (a, b, c):
            await made.mailbox.stop()


async def test_a_notice_overtaken_by_a_reconnection_closes_nothing(make_bus: MakeBus) -> None:
    closed: asyncio.Queue[str] = asyncio.Queue()
    a, b = await presence(make_bus, closed), await presence(make_bus, closed)
    try:
        await a.claim("CP-2")
        await b.claim("CP-2")  # tells a ...
        await a.claim("CP-2")  # ... but the station is back on a before a reads it
        async with asyncio.timeout(10):
            assert await closed.get() == f"{b.worker_id}/CP-2"

        async def pong(_body: object) -> str:
            return "pong"

        # a's inbox is read in order: once a ping is answered, the stale notice was read.
        a.mailbox.on_request("ping", pong)
        assert await b.mailbox.request(a.worker_id, "ping", {}, 10) == "pong"
        assert closed.empty()
    finally:
        await a.mailbox.stop()
        await b.mailbox.stop()
