"""Liveness and readiness: /health/live always answers while serving; /health/ready says 503, and
why, before startup ends, while writes fail (until they work again), or while Redis is down;
/health keeps its old answer."""

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from chargeyard.api.app import create_app
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database
from tests.support.failing_writes import allow_writes, refuse_writes
from tests.support.http import http_client
from tests.support.server import RunningServer, free_port, in_process_server

# Every table written in the background too (leases, the event sequencer, the message log): a
# full disk refuses them all, and one background success would otherwise read as "writes work".
REFUSING = ["health_probe", "locations", "leases", "events", "message_log", "stations"]


@asynccontextmanager
async def own_server(tmp: Path, **settings: Any) -> AsyncIterator[RunningServer]:
    async with fresh_database(tmp) as url:
        config = Settings(
            database_url=url,
            port=free_port(),
            node_id="health-test",
            health_check_timeout_s=60,  # a loaded machine must not fail a check by slowness
            **settings,
        )
        async with in_process_server(config) as running:
            yield running


async def answer(server: RunningServer, path: str) -> httpx.Response:
    async with http_client(base_url=server.base_url) as client:
        return await client.get(path)


async def test_live_ready_and_the_old_health_answer(server: RunningServer) -> None:
    assert (await answer(server, "/health/live")).json() == {"status": "live"}
    ready = await answer(server, "/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    old = await answer(server, "/health")
    assert old.status_code == 200
    assert {"status", "version", "node_id", "connected_stations"} <= set(old.json())


async def test_not_ready_before_startup_has_finished(tmp_path: Path) -> None:
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        app = create_app(Settings(database_url=url, health_check_timeout_s=60))
        # No lifespan has run: the application has not started.
        transport = httpx.ASGITransport(app=app)
        async with http_client(transport=transport, base_url="http://app") as client:
            ready = await client.get("/health/ready")
            live = await client.get("/health/live")
        await app.state.ctx.db.dispose()
    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert set(ready.json()["checks"]) == {"startup"}


async def test_an_unreachable_database_makes_the_node_unready() -> None:
    nowhere = f"postgresql+asyncpg://chargeyard:x@127.0.0.1:{free_port()}/chargeyard"
    app = create_app(Settings(database_url=nowhere, health_check_timeout_s=60))
    app.state.ready = True  # as if started: only the database check can fail
    transport = httpx.ASGITransport(app=app)
    async with http_client(transport=transport, base_url="http://app") as client:
        ready = await client.get("/health/ready")
        live = await client.get("/health/live")
    await app.state.ctx.db.dispose()
    assert live.status_code == 200
    assert ready.status_code == 503
    assert set(ready.json()["checks"]) == {"database"}


async def test_failing_writes_make_the_node_unready_until_they_work(tmp_path: Path) -> None:
    async with own_server(tmp_path) as server:
        url = server.settings.database_url
        token = await admin_token(url)
        headers = {"Authorization": f"Bearer {token}"}
        async with http_client(base_url=server.base_url, headers=headers) as api:
            assert (await api.post("/api/v1/locations", json={"name": "a"})).status_code == 201
            await refuse_writes(url, REFUSING)
            try:
                failed = await api.post("/api/v1/locations", json={"name": "b"})
                assert failed.status_code == 500
                assert failed.headers["content-type"] == "application/problem+json"
                ready = await api.get("/health/ready")
                assert ready.status_code == 503, ready.text
                assert set(ready.json()["checks"]) == {"writes"}
                # Reads still work: the old /health cannot see the problem.
                assert (await api.get("/health")).status_code == 200
            finally:
                await allow_writes(url, REFUSING)
            # Nothing else wrote since: the probe finds that writes work again.
            recovered = await api.get("/health/ready")
            assert recovered.status_code == 200, recovered.text
            assert (await api.post("/api/v1/locations", json={"name": "c"})).status_code == 201


async def admin_token(database_url: str) -> str:
    db = Database(database_url)
    try:
        async with db.writing() as uow:
            org = await ensure_organization(uow.session, "health")
            issued = await issue_token(uow.session, org.id, "admin", "test")
            await uow.commit()
    finally:
        await db.dispose()
    return issued.secret


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
async def test_a_redis_gone_after_start_makes_the_node_unready(tmp_path: Path) -> None:
    """A node starts only with its bus (it must know which stations its peers hold); losing
    Redis later is what readiness reports."""
    async with redis_server(tmp_path) as redis_url, own_server(tmp_path, redis_url=redis_url) as s:
        assert (await answer(s, "/health/ready")).status_code == 200
        await stop_redis(redis_url)
        ready = await answer(s, "/health/ready")
        assert ready.status_code == 503
        assert "redis" in ready.json()["checks"]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
async def test_a_reachable_redis_keeps_the_node_ready(tmp_path: Path) -> None:
    async with redis_server(tmp_path) as redis_url, own_server(tmp_path, redis_url=redis_url) as s:
        ready = await answer(s, "/health/ready")
    assert ready.status_code == 200, ready.text


@asynccontextmanager
async def redis_server(tmp: Path) -> AsyncIterator[str]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        "redis-server",
        "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(tmp),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await until(lambda: port_open(port))
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        with contextlib.suppress(ProcessLookupError):  # a test may have shut it down
            process.terminate()
        await asyncio.wait_for(process.wait(), 10)


async def stop_redis(url: str) -> None:
    import redis.asyncio as redis_client

    client = redis_client.from_url(url)
    with contextlib.suppress(Exception):  # the server closes the connection as it stops
        await client.shutdown(nosave=True)
    await client.aclose()
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    await until(lambda: port_closed(port))


async def port_closed(port: int) -> bool:
    return not await port_open(port)


async def port_open(port: int) -> bool:
    with contextlib.suppress(OSError):
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()
        await writer.wait_closed()
        return True
    return False


async def until(check: Callable[[], Any], timeout_s: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.02)
