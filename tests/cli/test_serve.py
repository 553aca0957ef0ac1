"""`chargeyard serve` listens before it starts: a station that connects while the server checks
its schema, imports and starts its app waits in the listen backlog and is served. Refused
instead, every station of a restarted server backs off again (1 s doubling to 30 s), and the
fleet comes back a backoff step or two after the server does."""

import asyncio
import contextlib
import socket
import sqlite3
import sys
from pathlib import Path

from chargeyard.storage.migrate import upgrade_async
from tests.support.server import free_port


async def _connected(port: int, process: asyncio.subprocess.Process) -> socket.socket:
    """A TCP connection to the server, as soon as it takes one."""
    async with asyncio.timeout(120):
        while True:
            assert process.returncode is None, "the server exited"
            with contextlib.suppress(ConnectionRefusedError):
                return socket.create_connection(("127.0.0.1", port), timeout=60)
            await asyncio.sleep(0.05)


async def test_a_connection_made_while_the_server_starts_is_served(tmp_path: Path) -> None:
    database = tmp_path / "chargeyard.db"
    url = f"sqlite+aiosqlite:///{database}"
    await upgrade_async(url)
    port = free_port()
    # The server's schema check reads the database: held by this lock, it cannot start its app
    # until the test lets it.
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "chargeyard",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env={"CHARGEYARD_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        early = await _connected(port, process)
        with early:
            early.sendall(b"GET /health/live HTTP/1.1\r\nHost: chargeyard\r\n\r\n")
            blocker.rollback()  # the start goes on; the connection waited in the backlog
            answer = await asyncio.to_thread(early.recv, 1024)
        assert answer.startswith(b"HTTP/1.1 200"), answer
    finally:
        blocker.close()
        process.terminate()
        await process.wait()
