"""Structured logs: with the JSON format every line is one JSON object, lines made while serving a
station carry its id and protocol (and, while handling a CALL, the action and message id), and a
station that leaves mid-answer is a disconnect, not an error."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from websockets.asyncio.client import connect

from chargeyard.observability.log_context import station_context
from chargeyard.observability.logs import configure_logging
from tests.conftest import Tenant
from tests.protocol.conftest import BOOT, Stations, eventually
from tests.support.ocpp_client import PASSWORD, basic_auth


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]

    def about(self, station_id: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line.get("station_id") == station_id]


@pytest.fixture
def json_logs() -> Iterator[Captured]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging("json", "info", stream=stream)
    call_lines = logging.getLogger("chargeyard.observability.log_context")
    call_lines.setLevel(logging.DEBUG)
    try:
        yield Captured(stream)
    finally:
        call_lines.setLevel(logging.NOTSET)
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.NOTSET)
        structlog.reset_defaults()


async def test_json_lines_carry_the_station_and_the_call(
    json_logs: Captured, tenant: Tenant
) -> None:
    stations = Stations(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.call("Heartbeat", {}, unique_id="beat-7")

    async def disconnect_logged() -> bool:
        return any(line["event"] == "station disconnected" for line in json_logs.about(station_id))

    await eventually(disconnect_logged)
    lines = json_logs.about(station_id)
    events = {line["event"]: line for line in lines}
    connected = events["station connected"]
    assert connected["level"] == "info" and connected["protocol"] == "ocpp1.6"
    assert events["station.booted"]["level"] == "info"
    beat = next(line for line in lines if line.get("message_id") == "beat-7")
    assert beat["event"] == "call answered"
    assert beat["action"] == "Heartbeat" and beat["protocol"] == "ocpp1.6"
    assert beat["result"] == "accepted"
    assert events["station disconnected"]["level"] == "info"
    assert "timestamp" in connected and "logger" in connected


async def test_a_station_leaving_mid_answer_is_no_error(
    json_logs: Captured, tenant: Tenant
) -> None:
    station_id = await Stations(tenant).register()
    async with connect(
        f"{tenant.server.ocpp_url}/{station_id}",
        subprotocols=["ocpp1.6"],  # type: ignore[list-item]
        additional_headers=basic_auth(station_id, PASSWORD),
        open_timeout=10,
    ) as socket:
        # Close right after asking, without waiting for the answer.
        await socket.send(json.dumps([2, "boot-1", "BootNotification", BOOT]))

    async def disconnect_logged() -> bool:
        return any(line["event"] == "station disconnected" for line in json_logs.about(station_id))

    await eventually(disconnect_logged)
    problems = [line for line in json_logs.lines() if line["level"] in ("error", "critical")]
    assert problems == []


def test_text_lines_carry_the_bound_context_and_libraries_stay_quiet(
    json_logs: Captured,
) -> None:
    stream = io.StringIO()
    configure_logging("text", "info", stream=stream)
    with station_context("CP-TEXT", "ocpp2.0.1"):
        logging.getLogger("chargeyard.test").info("hello", extra={"answer": 42})
        logging.getLogger("httpx").info('HTTP Request: POST http://hook "HTTP/1.1 200 OK"')
    text = stream.getvalue()
    assert "hello" in text and "station_id=CP-TEXT" in text and "protocol=ocpp2.0.1" in text
    assert "answer=42" in text
    assert "HTTP Request" not in text  # one line per webhook delivery is not info-level news


def test_uvicorns_per_socket_lines_are_left_out(json_logs: Captured) -> None:
    uvicorn = logging.getLogger("uvicorn.error")
    saved = uvicorn.level
    uvicorn.setLevel(logging.INFO)
    try:
        log_uvicorn_lines(uvicorn)
    finally:
        uvicorn.setLevel(saved)
    assert [(line["event"], line["level"]) for line in json_logs.lines()] == [
        ("Uvicorn running on http://127.0.0.1:8000", "info"),
        ("connection open", "warning"),
    ]


def log_uvicorn_lines(uvicorn: logging.Logger) -> None:
    uvicorn.info('%s - "WebSocket %s" [accepted]', "127.0.0.1:5000", "/ocpp/CP1")
    uvicorn.info('%s - "WebSocket %s" %d', "127.0.0.1:5000", "/ocpp/CP1", 401)
    uvicorn.info("connection open")
    uvicorn.info("connection closed")
    uvicorn.info("Uvicorn running on %s", "http://127.0.0.1:8000")
    uvicorn.warning("connection open")


def test_a_text_traceback_shows_no_local_variables() -> None:
    """Locals in a logged traceback would print what the frame held (a bearer token, a password)
    and a handler's locals took minutes to render."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging("text", "info", stream=stream)
    try:
        secret = "cy_bearer-token-never-logged"
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("chargeyard.test").exception("unhandled error (%d)", len(secret))
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    text = stream.getvalue()
    assert "ValueError: boom" in text
    assert "Traceback (most recent call last)" in text
    assert secret not in text
