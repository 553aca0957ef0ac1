"""A station that moves to another worker closes its old socket there, and only there; a notice
that arrives after the station came back is stale and closes nothing, and a socket that
connected after the notice is never the one it closes."""

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
    make_bus: MakeBus,
    closed: "asyncio.Queue[str]",
    *,
    held: bool = False,
    sockets: dict[str, str] | None = None,
) -> StationPresence:
    """A worker's presence; its sockets are `sockets` (station id to a socket's name: by
    default every station has one, named after the worker and the station), and closing one
    puts its name on `closed`."""
    bus = await make_bus()
    mailbox = HeldNotices(bus) if held else Mailbox(bus)
    await mailbox.start()
    made = StationPresence(mailbox.bus, mailbox)

    def current(station_id: str) -> object | None:
        if sockets is None:
            return f"{made.worker_id}/{station_id}"
        return sockets.get(station_id)

    async def close(socket: object) -> None:
        closed.put_nowait(str(socket))

    made.on_replaced(current, close)
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


async def test_a_socket_that_connects_while_a_notice_is_read_stays_open(
    make_bus: MakeBus,
) -> None:
    """The station moves to b, and comes back to a while a reads b's notice: a's new socket is
    registered and its claim is on its way to the bus when the notice asks who holds the
    station. The bus still says b, yet the new socket's claim is the newest: it stays open,
    and b's socket closes instead."""
    closed: asyncio.Queue[str] = asyncio.Queue()
    sockets = {"CP-3": "a1"}
    a = await presence(make_bus, closed, held=True, sockets=sockets)
    b = await presence(make_bus, closed)
    inbox = a.mailbox
    assert isinstance(inbox, HeldNotices)
    claim_sent = asyncio.Event()
    reaches_bus = asyncio.Event()
    claim = a.bus.claim

    async def slow_claim(station_id: str) -> str | None:
        claim_sent.set()
        await reaches_bus.wait()
        return await claim(station_id)

    try:
        await a.claim("CP-3")
        await b.claim("CP-3")  # tells a to close a1 (held until read)
        a.bus.claim = slow_claim  # type: ignore[method-assign]
        sockets["CP-3"] = "a2"  # the station is back on a ...
        coming_back = asyncio.create_task(a.claim("CP-3"))  # ... and its claim under way
        async with asyncio.timeout(10):
            await claim_sent.wait()
            inbox.read.set()
            reaches_bus.set()
            assert await coming_back is True  # b held it: b is told to close
            assert await closed.get() == f"{b.worker_id}/CP-3"
            assert await inbox.handled.get() == {"station_id": "CP-3"}
        assert closed.empty()  # a2 stays open
    finally:
        for made in (a, b):
            await made.mailbox.stop()
