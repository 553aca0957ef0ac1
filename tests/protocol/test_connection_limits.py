"""Dead and greedy connections (issue 16, item 5), on servers with small limits of their own:
a peer that stops answering pings, a station that goes quiet, a socket that never finishes its
handshake, and a station flooding CALLs."""

import asyncio
import base64
import os
from collections.abc import AsyncIterator

import pytest

from chargeyard.settings import Settings
from tests.conftest import Tenant, make_tenant
from tests.protocol.conftest import BOOT, Stations, eventually
from tests.support.ocpp_client import PASSWORD, raw_station
from tests.support.server import RunningServer, free_port, in_process_server


def edge_settings(database_url: str, **changes: object) -> Settings:
    return Settings(
        database_url=database_url,
        port=free_port(),
        node_id=f"edge-{os.getpid()}-{free_port()}",
        message_log_flush_s=0.05,
        **changes,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
async def limited_server(database_url: str) -> AsyncIterator[RunningServer]:
    settings = edge_settings(
        database_url,
        ws_ping_interval_s=0.2,
        ws_ping_timeout_s=0.5,
        ws_handshake_timeout_s=0.5,
        station_rate_limit_per_s=0.001,
        station_rate_limit_burst=5,
        station_idle_heartbeats=0,
    )
    async with in_process_server(settings) as running:
        yield running


@pytest.fixture
async def limited(limited_server: RunningServer) -> AsyncIterator[Stations]:
    async for tenant in make_tenant(limited_server):
        yield Stations(tenant)


async def connected(tenant: Tenant, station_id: str) -> bool:
    response = await tenant.api.get(f"/stations/{station_id}")
    return bool(response.json()["connected"])


async def disconnected(tenant: Tenant, station_id: str) -> bool:
    return not await connected(tenant, station_id)


async def open_silent_websocket(
    server: RunningServer, station_id: str
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Complete a WebSocket handshake by hand, then never read again: a peer whose OCPP side and
    network stack both went quiet (it answers no ping), as a half-open connection looks."""
    port = server.settings.port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    token = base64.b64encode(f"{station_id}:{PASSWORD}".encode()).decode()
    writer.write(
        (
            f"GET /ocpp/{station_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: ocpp1.6\r\nAuthorization: Basic {token}\r\n\r\n"
        ).encode()
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert head.startswith(b"HTTP/1.1 101"), head
    return reader, writer


async def test_a_peer_that_answers_no_ping_is_disconnected(limited: Stations) -> None:
    station_id = await limited.register()
    _, writer = await open_silent_websocket(limited.tenant.server, station_id)
    try:
        await eventually(lambda: connected(limited.tenant, station_id))
        # ping interval 0.2 s + timeout 0.5 s; the bound only guards against a hang.
        await eventually(lambda: disconnected(limited.tenant, station_id), timeout_s=30)
    finally:
        writer.close()


async def test_a_socket_that_never_sends_its_request_is_closed(
    limited_server: RunningServer,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", limited_server.settings.port)
    try:
        # The server closes it (EOF) after the 0.5 s handshake timeout; the bound guards a hang.
        assert await asyncio.wait_for(reader.read(), 30) == b""
    finally:
        writer.close()


async def test_a_half_sent_request_is_closed_too(limited_server: RunningServer) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", limited_server.settings.port)
    writer.write(b"GET /ocpp/CP-1 HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    try:
        assert await asyncio.wait_for(reader.read(), 30) == b""
    finally:
        writer.close()


async def test_pings_do_not_disturb_a_live_station(limited: Stations) -> None:
    station_id = await limited.register()
    async with limited.booted(station_id) as station:
        # Several ping intervals pass while the client library answers pings by itself.
        for _ in range(3):
            await asyncio.sleep(0.3)
            assert await connected(limited.tenant, station_id)
        assert (await station.call("Heartbeat", {}))[0] == 3


async def test_a_burst_over_the_rate_limit_is_refused_without_running_handlers(
    limited: Stations,
) -> None:
    station_id = await limited.register()
    async with raw_station(limited.tenant.server.ocpp_url, station_id) as station:
        assert (await station.call("BootNotification", BOOT))[0] == 3  # 1 of a burst of 5
        answers = [await station.call("Heartbeat", {}) for _ in range(6)]
        assert [a[0] for a in answers[:4]] == [3, 3, 3, 3]
        assert [a[:4] for a in answers[4:]] == [
            [4, answers[4][1], "GenericError", "rate limit exceeded"],
            [4, answers[5][1], "GenericError", "rate limit exceeded"],
        ]
        # Refused, not dropped: the connection stays up.
        assert await connected(limited.tenant, station_id)


async def test_a_rate_limited_status_changes_nothing(limited: Stations) -> None:
    station_id = await limited.register()
    status = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
    async with raw_station(limited.tenant.server.ocpp_url, station_id) as station:
        assert (await station.call("BootNotification", BOOT))[0] == 3
        for _ in range(4):
            assert (await station.call("StatusNotification", status))[0] == 3
        faulted = status | {"status": "Faulted", "errorCode": "OtherError"}
        assert (await station.call("StatusNotification", faulted))[2] == "GenericError"
    detail = await limited.detail(station_id)
    assert "Faulted" not in str(detail)


@pytest.fixture(scope="module")
async def idle_server(database_url: str) -> AsyncIterator[RunningServer]:
    settings = edge_settings(database_url, heartbeat_interval_s=1, station_idle_heartbeats=1)
    async with in_process_server(settings) as running:
        yield running


@pytest.fixture
async def idle(idle_server: RunningServer) -> AsyncIterator[Stations]:
    async for tenant in make_tenant(idle_server):
        yield Stations(tenant)


async def test_a_station_silent_past_its_heartbeats_is_disconnected(idle: Stations) -> None:
    station_id = await idle.register()
    async with idle.booted(station_id) as station:
        # The client answers pings, but sends no OCPP frame for over one heartbeat interval.
        await eventually(lambda: disconnected(idle.tenant, station_id), timeout_s=30)
        await asyncio.wait_for(station.socket.wait_closed(), 30)
        assert station.socket.close_code == 1001
