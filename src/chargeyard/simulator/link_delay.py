"""A slow network between a simulated station and the CSMS: every frame, either way, arrives
a delay later (drawn per frame), in the order it was sent, as over a TCP link with a varying
round trip. Used to test that what the CSMS guarantees holds when messages take their time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from websockets.exceptions import ConnectionClosed

_log = logging.getLogger(__name__)

Delay = Callable[[], float]
"""Seconds the next frame takes (e.g. `lambda: random.uniform(0, 0.5)`)."""


class FrameSocket(Protocol):
    async def send(self, message: str) -> None: ...

    async def recv(self) -> str | bytes: ...


class DelayedSocket:
    """`socket` with each frame held back `delay()` seconds, never overtaking an earlier one."""

    def __init__(self, socket: FrameSocket, delay: Delay) -> None:
        self._socket = socket
        self._delay = delay
        self._outgoing: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
        self._incoming: asyncio.Queue[tuple[float, str | bytes | ConnectionClosed]] = (
            asyncio.Queue()
        )
        self._last_out = self._last_in = 0.0
        self._sender = asyncio.create_task(self._send_due())
        self._receiver = asyncio.create_task(self._receive())

    def _due(self, last: float) -> float:
        return max(last, asyncio.get_running_loop().time() + max(0.0, self._delay()))

    async def send(self, message: str) -> None:
        self._last_out = self._due(self._last_out)
        self._outgoing.put_nowait((self._last_out, message))

    async def recv(self) -> str | bytes:
        due, item = await self._incoming.get()
        if isinstance(item, ConnectionClosed):
            self._incoming.put_nowait((due, item))  # every later reader sees it too
            raise item
        await asyncio.sleep(max(0.0, due - asyncio.get_running_loop().time()))
        return item

    async def _send_due(self) -> None:
        while True:
            due, message = await self._outgoing.get()
            await asyncio.sleep(max(0.0, due - asyncio.get_running_loop().time()))
            try:
                await self._socket.send(message)
            except ConnectionClosed:
                return

    async def _receive(self) -> None:
        try:
            while True:
                message = await self._socket.recv()
                self._last_in = self._due(self._last_in)
                self._incoming.put_nowait((self._last_in, message))
        except ConnectionClosed as closed:
            self._incoming.put_nowait((self._last_in, closed))
        finally:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
