"""A small TCP load balancer on loopback, as nginx's `proxy_next_upstream error` places connections.

Each client connection goes to the next backend in round-robin order that accepts a TCP
connection; a backend that refuses (its listener closed: a node draining or down) is skipped for
that connection, as nginx skips an upstream whose connect fails. A connection no backend accepts
is closed at once and counted as unplaced: to the station it is a refused connection.

It reads the HTTP request line before it connects upstream, so it knows which path (for OCPP,
which station) each placed connection carries: the tests and the rolling-restart benchmark ask
it which backend holds a station's latest connection. Bytes are then piped both ways unchanged.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

_REQUEST_LINE_TIMEOUT_S = 10.0
_CHUNK = 65536


@dataclass(frozen=True)
class Backend:
    host: str
    port: int


@dataclass
class Placements:
    """What the balancer did: connections placed per backend, refused connects per backend
    (skipped for the next one), connections no backend took, and where each path last went."""

    placed: dict[Backend, int] = field(default_factory=dict)
    skipped: dict[Backend, int] = field(default_factory=dict)
    unplaced: int = 0
    last_backend: dict[str, Backend] = field(default_factory=dict)


class RoundRobinBalancer:
    def __init__(self, backends: list[Backend], host: str = "127.0.0.1") -> None:
        self.backends = backends
        self.host = host
        self.port = 0
        self.placements = Placements()
        self._next = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ocpp_url(self) -> str:
        return f"ws://{self.host}:{self.port}/ocpp"

    def backend_of(self, path: str) -> Backend | None:
        """The backend that took the latest connection for this request path."""
        return self.placements.last_backend.get(path)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, 0, backlog=4096)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for pipe in tuple(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        try:
            await self._place(reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        finally:
            self._pipes.discard(task)
            writer.close()

    async def _place(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(_REQUEST_LINE_TIMEOUT_S):
            first = await reader.readuntil(b"\r\n")
        path = _path(first)
        upstream = await self._connect()
        if upstream is None:
            self.placements.unplaced += 1
            return
        backend, (up_reader, up_writer) = upstream
        self.placements.last_backend[path] = backend
        try:
            up_writer.write(first)
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            up_writer.close()

    async def _connect(
        self,
    ) -> tuple[Backend, tuple[asyncio.StreamReader, asyncio.StreamWriter]] | None:
        start = self._next
        self._next = (self._next + 1) % len(self.backends)
        for offset in range(len(self.backends)):
            backend = self.backends[(start + offset) % len(self.backends)]
            try:
                streams = await asyncio.open_connection(backend.host, backend.port)
            except OSError:
                self.placements.skipped[backend] = self.placements.skipped.get(backend, 0) + 1
                continue
            self.placements.placed[backend] = self.placements.placed.get(backend, 0) + 1
            return backend, streams
        return None


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until either side ends; closing the sink lets the other direction end too."""
    try:
        while chunk := await source.read(_CHUNK):
            sink.write(chunk)
            await sink.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            if sink.can_write_eof():
                sink.write_eof()
        sink.close()


def _path(request_line: bytes) -> str:
    parts = request_line.decode("latin-1").split(" ")
    return parts[1] if len(parts) > 1 else ""


@asynccontextmanager
async def round_robin_balancer(backends: list[Backend]) -> AsyncIterator[RoundRobinBalancer]:
    balancer = RoundRobinBalancer(backends)
    await balancer.start()
    try:
        yield balancer
    finally:
        await balancer.stop()
