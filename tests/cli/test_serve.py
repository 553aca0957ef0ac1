"""`chargeyard serve` alone listens before it starts: a station that connects while the server
checks its schema, imports and starts its app waits in the listen backlog and is served.
Refused instead, every station of a restarted server backs off again (1 s doubling to 30 s),
and the fleet comes back a backoff step or two after the server does. A node of a cluster
(with the Redis bus) listens only once it can serve, so that a load balancer sends the
stations to the other nodes meanwhile. And the CLI imports nothing heavy before that bind."""

import asyncio
import contextlib
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chargeyard.storage.migrate import upgrade_async
from tests.support.redis import redis_server
from tests.support.server import free_port


@contextlib.asynccontextmanager
async def _starting(
    tmp_path: Path, env: dict[str, str]
) -> AsyncIterator[tuple[int, asyncio.subprocess.Process, sqlite3.Connection]]:
    """A `chargeyard serve` held in its schema check (a lock on its database) until the test
    rolls the lock back: its port, its process and the lock."""
    database = tmp_path / "chargeyard.db"
    url = f"sqlite+aiosqlite:///{database}"
    await upgrade_async(url)
    port = free_port()
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
        env={"CHARGEYARD_DATABASE_URL": url, "PATH": "/usr/bin:/bin", **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    drained: asyncio.Task[bytes] | None = None
    try:
        assert process.stdout is not None
        async with asyncio.timeout(120):  # until the schema check has begun (and waits)
            while b"alembic.runtime.migration" not in await process.stdout.readline():
                assert process.returncode is None, "the server exited"
        drained = asyncio.create_task(process.stdout.read())
        yield port, process, blocker
    finally:
        blocker.close()
        process.terminate()
        await process.wait()
        if drained is not None:
            await drained


async def _served(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /health/live HTTP/1.1\r\nHost: chargeyard\r\nConnection: close\r\n\r\n")
    answer = await reader.read()
    writer.close()
    return answer


async def test_alone_a_connection_made_while_the_server_starts_is_served(
    tmp_path: Path,
) -> None:
    async with _starting(tmp_path, {}) as (port, _process, blocker):
        early = socket.create_connection(("127.0.0.1", port), timeout=60)
        with early:
            early.sendall(b"GET /health/live HTTP/1.1\r\nHost: chargeyard\r\n\r\n")
            blocker.rollback()  # the start goes on; the connection waited in the backlog
            answer = await asyncio.to_thread(early.recv, 1024)
    assert answer.startswith(b"HTTP/1.1 200"), answer


async def test_in_a_cluster_a_starting_node_refuses_until_it_can_serve(tmp_path: Path) -> None:
    async with redis_server() as redis_url:
        if redis_url is None:
            pytest.skip("no Redis: set CHARGEYARD_TEST_REDIS_URL or install redis-server")
        env = {"CHARGEYARD_REDIS_URL": redis_url}
        async with _starting(tmp_path, env) as (port, _process, blocker):
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=60).close()
            blocker.rollback()
            async with asyncio.timeout(120):
                while True:
                    with contextlib.suppress(ConnectionRefusedError):
                        answer = await _served(port)
                        break
                    await asyncio.sleep(0.05)
    assert answer.startswith(b"HTTP/1.1 200"), answer


_HEAVY = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "cryptography",
    "ocpp",
    "chargeyard.api.app",
    "chargeyard.storage.database",
    "chargeyard.simulator",
    "chargeyard.conformance",
)

_AT_BIND = f"""
import sys

import chargeyard.cli.app as cli

bind = cli.listening_socket


def bind_then_report(settings):
    bind(settings).close()
    print("heavy at bind:", [name for name in {_HEAVY!r} if name in sys.modules], flush=True)
    raise SystemExit(0)


cli.listening_socket = bind_then_report
cli.main()
"""


def test_serve_binds_before_it_imports_the_app_the_database_or_other_commands(
    tmp_path: Path,
) -> None:
    """Every command's module is imported at the CLI's start: the heavy ones (the app, the ORM,
    the simulator, cryptography) wait until a command runs, so `serve` listens within the
    imports of typer, uvicorn and the settings (under a second, against about 3 s before)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'chargeyard.db'}"
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            _AT_BIND,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port()),
        ],
        env={"CHARGEYARD_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert "heavy at bind: []" in finished.stdout, finished.stdout
