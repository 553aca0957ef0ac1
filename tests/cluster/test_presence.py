"""A station that moves to another worker closes its old socket there, and only there; a notice
that arrives after the station came back is stale and closes nothing."""

import asyncio
from typing import Any

from chargeyard.cluster.bus import Bus
from chargeyard.cluster.mailbox import Mailbox, NoticeHandler
from chargeyard.cluster.presence import StationPresence
from tests.cluster.conftest import MakeBus


class HeldNotices(Mailbox):
    """A mailbox whose notices wait for `read` before they are handled, and count in `handled`
    once they were: the test, not the event loop's timing, decides when the inbox is read."""

    def __init__(self, bus: Bus) -> None:
        super().__init__(bus)
        self.read = asyncio.Event()
        self.handled: asyncio.Queue[Any] = asyncio.Queue()

    def on_notice(self, topic: str, handler: NoticeHandler) -> None:
        async def held(body: Any) -> None:
            await self.read.wait()
            await handler(body)
            self.handled.put_nowait(body)

        super().on_notice(topic, held)


async def presence(
    make_bus: MakeBus, closed: "asyncio.Queue[str]", *, held: bool = False
) -> StationPresence:
    bus = await make_bus()
    mailbox = HeldNotices(bus) if held else Mailbox(bus)
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
    a = await presence(make_bus, closed, held=True)
    b = await presence(make_bus, closed)
    inbox = a.mailbox
    assert isinstance(inbox, HeldNotices)
    try:
        await a.claim("CP-2")
        await b.claim("CP-2")  # tells a ...
        await a.claim("CP-2")  # ... but the station is back on a before a reads it
        async with asyncio.timeout(10):
            assert await closed.get() == f"{b.worker_id}/CP-2"
            inbox.read.set()
            assert await inbox.handled.get() == {"station_id": "CP-2"}
        assert closed.empty()
    finally:
        await a.mailbox.stop()
        await b.mailbox.stop()
