"""A throw-away `redis-server` on a loopback port for the cluster tests (or the one CI names).

Under pytest-xdist each worker runs its own clusters at the same time as the others. Redis
pub/sub channels are not scoped by database number, so two workers' nodes on one server would
hear each other's inboxes and event notices: the first worker uses the server CI names, every
other worker starts a server of its own (the binary is there: CI installed it to start the
named one)."""

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

from tests.support.server import free_port

REDIS_ENV = "CHARGEYARD_TEST_REDIS_URL"


@asynccontextmanager
async def redis_server() -> AsyncIterator[str | None]:
    """Yield a Redis URL, or None when no Redis is named and `redis-server` is not installed."""
    named = os.environ.get(REDIS_ENV)
    binary = shutil.which("redis-server")
    if named and (os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0" or binary is None):
        yield named
        return
    if binary is None:
        yield None
        return
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = Redis.from_url(url)
        try:
            async with asyncio.timeout(20):
                while True:
                    try:
                        if await client.ping():
                            break
                    except (RedisError, OSError):
                        await asyncio.sleep(0.05)
        finally:
            await client.aclose()
        yield url
    finally:
        process.terminate()
        await process.wait()
