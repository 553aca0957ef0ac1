"""A reconnect storm held back: beyond `ws_handshake_concurrency` handshakes in progress, a
station is answered 503 with Retry-After before any database work, and admitted again as soon
as a slot is free; and the OCPP route reached ahead of the REST application."""

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import closing, contextmanager
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from chargeyard.api.app import ChargeyardApp
from chargeyard.observability.metrics import HANDSHAKES_ABANDONED, HANDSHAKES_SHED
from chargeyard.protocol import handshake_slots
from chargeyard.protocol.handshake_slots import BUSY, HandshakeSlots, Queued, queued
from chargeyard.protocol.server import OcppEndpoint
from tests.conftest import make_tenant
from tests.protocol.conftest import BOOT, Stations, events_of
from tests.protocol.test_connection_limits import edge_settings
from tests.support.ocpp_client import PASSWORD, basic_auth, raw_station
from tests.support.server import RunningServer, in_process_server


@pytest.fixture(scope="module")
async def one_slot_server(database_url: str) -> AsyncIterator[RunningServer]:
    async with in_process_server(
        edge_settings(database_url, ws_handshake_concurrency=1)
    ) as running:
        yield running


@pytest.fixture
async def one_slot(one_slot_server: RunningServer) -> AsyncIterator[Stations]:
    async for tenant in make_tenant(one_slot_server):
        yield Stations(tenant)


def endpoint_of(server: RunningServer) -> OcppEndpoint:
    assert isinstance(server.app, ChargeyardApp)
    endpoint = server.app.station_endpoint
    assert isinstance(endpoint, OcppEndpoint)
    return endpoint


async def handshake_status(server: RunningServer, station_id: str) -> tuple[int, str | None]:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            f"{server.ocpp_url}/{station_id}",
            subprotocols=["ocpp1.6"],  # type: ignore[list-item]
            additional_headers=basic_auth(station_id, PASSWORD),
            open_timeout=10,
        ):
            pass
    response = refused.value.response
    return response.status_code, response.headers.get("Retry-After")


async def test_a_handshake_beyond_the_limit_is_shed_then_admitted(one_slot: Stations) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    slots = endpoint_of(server).slots
    assert slots.take()  # another station's handshake in progress
    try:
        status, retry_after = await handshake_status(server, station_id)
        assert status == 503
        assert retry_after is not None and 1 <= int(retry_after) <= 5
    finally:
        slots.release()
    # Shed before any database work: not an authentication failure, and not connected.
    assert await events_of(server, station_id, "station.authentication_failed") == []
    assert (await one_slot.detail(station_id))["connected"] is False
    async with raw_station(server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
        # The slot is free again once the station is marked connected: a second one gets in.
        other = await one_slot.register()
        async with raw_station(server.ocpp_url, other) as second:
            assert (await second.ok("BootNotification", BOOT))["status"] == "Accepted"
    assert slots.in_progress == 0


async def test_a_refused_handshake_gives_its_slot_back(one_slot: Stations) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    with pytest.raises(InvalidStatus):
        async with raw_station(server.ocpp_url, station_id, password="a-wrong-password-123"):
            pass
    assert endpoint_of(server).slots.in_progress == 0
    async with raw_station(server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"


def test_slots_count_what_is_in_progress() -> None:
    slots = HandshakeSlots(2)
    assert slots.take() and slots.take()
    assert not slots.take()
    slots.release()
    assert slots.take()
    assert slots.in_progress == 2


async def test_an_ocpp_path_of_more_than_one_segment_is_refused(one_slot: Stations) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    with pytest.raises(InvalidStatus):
        async with connect(
            f"{server.ocpp_url}/{station_id}/extra",
            subprotocols=["ocpp1.6"],  # type: ignore[list-item]
            additional_headers=basic_auth(station_id, PASSWORD),
            open_timeout=10,
        ):
            pass
    assert (await one_slot.detail(station_id))["connected"] is False


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def logged_at_info() -> Iterator[list[logging.LogRecord]]:
    """Every record at INFO or above, from any logger: uvicorn's loggers (which do not
    propagate to the root under uvicorn's own logging set-up) turned up to INFO meanwhile, as a
    deployed server runs them."""
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield handler.records
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def _on_the_handshake(record: logging.LogRecord) -> bool:
    """Whether a logger a station's handshake passes through wrote `record`: uvicorn, the
    WebSocket library, the web framework, Chargeyard's OCPP endpoint and REST layer."""
    return record.name.startswith(
        ("uvicorn", "websockets", "starlette", "fastapi", "chargeyard.protocol", "chargeyard.api")
    )


async def test_a_shed_handshake_is_answered_before_the_websocket_layer_and_logs_nothing(
    one_slot: Stations,
) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    slots = endpoint_of(server).slots
    shed_before = HANDSHAKES_SHED._value.get()
    assert slots.take()  # another station's handshake in progress
    try:
        with logged_at_info() as records:
            for _ in range(3):
                with pytest.raises(InvalidStatus) as refused:
                    async with connect(
                        f"{server.ocpp_url}/{station_id}",
                        subprotocols=["ocpp2.0.1", "ocpp1.6"],  # type: ignore[list-item]
                        additional_headers=basic_auth(station_id, PASSWORD),
                        open_timeout=10,
                    ):
                        pass
                response = refused.value.response
                assert response.status_code == 503
                assert response.reason_phrase == "Service Unavailable"
                assert 1 <= int(response.headers["Retry-After"]) <= 5
                assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
                assert response.headers["Connection"] == "close"
                assert "Date" in response.headers
                assert response.body == BUSY.encode()
        # Through the endpoint, uvicorn's WebSocket protocol logs every denial at INFO. The
        # shared server's background jobs (a lease taken, a control step) may log meanwhile:
        # only the loggers a handshake passes through count.
        assert [record.getMessage() for record in records if _on_the_handshake(record)] == []
    finally:
        slots.release()
    assert HANDSHAKES_SHED._value.get() - shed_before == 3
    assert slots.in_progress == 0
    assert await events_of(server, station_id, "station.authentication_failed") == []
    # Admitted as soon as a slot is free, and the refusals left nothing behind.
    async with raw_station(server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
    assert slots.in_progress == 0


async def test_a_busy_worker_still_answers_an_unspoken_subprotocol_400(
    one_slot: Stations,
) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    slots = endpoint_of(server).slots
    assert slots.take()
    try:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(
                f"{server.ocpp_url}/{station_id}",
                subprotocols=["ocpp0.9"],  # type: ignore[list-item]
                additional_headers=basic_auth(station_id, PASSWORD),
                open_timeout=10,
            ):
                pass
        assert refused.value.response.status_code == 400
    finally:
        slots.release()


def test_only_a_station_handshake_offering_a_spoken_subprotocol_takes_a_slot() -> None:
    slots = HandshakeSlots(1, spoken=["ocpp1.6"])
    assert slots.is_station_handshake("/ocpp/CP-1", ["ocpp2.0.1", "ocpp1.6"])
    assert not slots.is_station_handshake("/ocpp/CP-1", ["ocpp2.0.1"])
    assert not slots.is_station_handshake("/ocpp/CP-1/extra", ["ocpp1.6"])
    assert not slots.is_station_handshake("/api/v1/stations", ["ocpp1.6"])


def queued_request(server: RunningServer, station_id: str, *, close: bool) -> socket.socket:
    """A station's upgrade request left in the kernel's queues: written with a blocking socket
    while the test holds the event loop the in-process server shares, so the server reads it
    only at the test's next await (and, with `close`, after the station closed its side)."""
    url = urlsplit(server.ocpp_url)
    assert url.hostname is not None and url.port is not None
    sock = socket.create_connection((url.hostname, url.port))
    auth = basic_auth(station_id, PASSWORD)["Authorization"]
    sock.sendall(
        (
            f"GET /ocpp/{station_id} HTTP/1.1\r\nHost: {url.netloc}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: ocpp1.6\r\nAuthorization: {auth}\r\n\r\n"
        ).encode()
    )
    if close:
        sock.shutdown(socket.SHUT_WR)
    sock.setblocking(False)
    return sock


async def read_all(sock: socket.socket) -> bytes:
    """Everything the server writes until it closes the connection."""
    loop = asyncio.get_running_loop()
    received = b""
    async with asyncio.timeout(10):
        while chunk := await loop.sock_recv(sock, 4096):
            received += chunk
    return received


async def test_a_handshake_whose_station_left_is_dropped_unanswered(one_slot: Stations) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    abandoned_before = HANDSHAKES_ABANDONED._value.get()
    with closing(queued_request(server, station_id, close=True)) as sock:
        assert await read_all(sock) == b""
    assert HANDSHAKES_ABANDONED._value.get() - abandoned_before == 1
    assert endpoint_of(server).slots.in_progress == 0
    assert await events_of(server, station_id, "station.connected") == []


async def test_a_handshake_that_waited_too_long_is_shed_with_a_free_slot(
    one_slot: Stations, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = one_slot.tenant.server
    station_id = await one_slot.register()
    shed_before = HANDSHAKES_SHED._value.get()
    monkeypatch.setattr(handshake_slots, "QUEUED_TOO_LONG_S", 0.0)  # any wait is too long
    with closing(queued_request(server, station_id, close=False)) as sock:
        answer = await read_all(sock)
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"\r\nretry-after: " in answer
    assert HANDSHAKES_SHED._value.get() - shed_before == 1
    assert await events_of(server, station_id, "station.connected") == []
    monkeypatch.undo()
    async with raw_station(server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"


def test_the_kernel_tells_how_long_a_request_waited_and_whether_its_peer_left() -> None:
    with (
        closing(socket.create_server(("127.0.0.1", 0))) as listener,
        closing(socket.create_connection(listener.getsockname())) as client,
    ):
        client.sendall(b"GET / HTTP/1.1\r\n\r\n")
        served, _ = listener.accept()
        with closing(served):
            assert served.recv(64).startswith(b"GET")  # the request has arrived
            waiting = queued(served)
            assert waiting is not None and not waiting.peer_closed
            assert 0 <= waiting.waited_s < handshake_slots.QUEUED_TOO_LONG_S
            client.shutdown(socket.SHUT_WR)
            assert served.recv(64) == b""  # the FIN has arrived
            gone = queued(served)
            assert gone is not None and gone.peer_closed
    assert queued(None) is None
    assert Queued(peer_closed=False, waited_s=handshake_slots.QUEUED_TOO_LONG_S).stale()
    assert not Queued(peer_closed=False, waited_s=0.1).stale()
