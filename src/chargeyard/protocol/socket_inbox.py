"""The two waiting points of one WebSocket in uvicorn, sized for a socket that idles.

uvicorn gives every WebSocket an `asyncio.Queue` for the frames the application has not read
yet and an `asyncio.Event` that senders wait on while the transport's buffer is full. The queue
holds three deques and an Event of its own, the Event one more deque: about 3 KiB per
connection, for a queue that holds one frame at a time and has one reader (the application's
`receive`), and an event that is set for the socket's whole life unless the peer stops reading.
With tens of thousands of idle stations on a node that is most of a connection's own memory
after the socket itself. `Inbox` and `Flag` keep the same behaviour with a list and a future
made only while someone waits (`connections.StationWebSocketProtocol` puts them in place).
"""

import asyncio
from typing import Any


class Inbox:
    """A FIFO for one reader: what uvicorn's WebSocket protocol calls on its queue."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)

    async def get(self) -> Any:
        while not self._items:
            waiter = self._waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


class Flag:
    """An event: `wait` returns at once while set, else when `set` is next called."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        if self._set:
            return
        self._set = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)
        return True
