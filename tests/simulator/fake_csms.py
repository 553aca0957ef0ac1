"""A tiny OCPP 1.6 central system on loopback, for testing the simulator against.

It answers every station-to-CSMS message, records what it received, lets a test send
commands to a station, and can demand HTTP Basic credentials or drop a connection.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint, call_result
from ocpp.v16.enums import Action
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response


@dataclass(frozen=True)
class Received:
    station_id: str
    action: str
    payload: dict[str, Any]


@dataclass
class CsmsSettings:
    boot_status: str = "Accepted"
    boot_interval: int = 300
    # Id tags the CSMS knows; any other tag is Invalid.
    tags: dict[str, str] = field(default_factory=lambda: {"TAG-OK": "Accepted"})
    password: str | None = None


class CentralSystemSession(ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    def __init__(self, station_id: str, socket: ServerConnection, csms: FakeCsms) -> None:
        super().__init__(station_id, socket, response_timeout=5)
        self.csms = csms

    def _log(self, action: Action, payload: dict[str, Any]) -> None:
        self.csms.record(Received(self.id, action.value, payload))

    def _tag_info(self, id_tag: str) -> dict[str, str]:
        return {"status": self.csms.settings.tags.get(id_tag, "Invalid")}

    @on(Action.boot_notification)  # type: ignore[untyped-decorator]
    def on_boot(self, **payload: Any) -> call_result.BootNotification:
        self._log(Action.boot_notification, payload)
        settings = self.csms.settings
        return call_result.BootNotification(
            current_time=_now(), interval=settings.boot_interval, status=settings.boot_status
        )

    @on(Action.heartbeat)  # type: ignore[untyped-decorator]
    def on_heartbeat(self, **payload: Any) -> call_result.Heartbeat:
        self._log(Action.heartbeat, payload)
        return call_result.Heartbeat(current_time=_now())

    @on(Action.status_notification)  # type: ignore[untyped-decorator]
    def on_status(self, **payload: Any) -> call_result.StatusNotification:
        self._log(Action.status_notification, payload)
        return call_result.StatusNotification()

    @on(Action.authorize)  # type: ignore[untyped-decorator]
    def on_authorize(self, id_tag: str, **payload: Any) -> call_result.Authorize:
        self._log(Action.authorize, {"id_tag": id_tag, **payload})
        return call_result.Authorize(id_tag_info=self._tag_info(id_tag))

    @on(Action.start_transaction)  # type: ignore[untyped-decorator]
    def on_start(self, id_tag: str, **payload: Any) -> call_result.StartTransaction:
        self._log(Action.start_transaction, {"id_tag": id_tag, **payload})
        return call_result.StartTransaction(
            transaction_id=next(self.csms.transaction_ids), id_tag_info=self._tag_info(id_tag)
        )

    @on(Action.meter_values)  # type: ignore[untyped-decorator]
    def on_meter_values(self, **payload: Any) -> call_result.MeterValues:
        self._log(Action.meter_values, payload)
        return call_result.MeterValues()

    @on(Action.stop_transaction)  # type: ignore[untyped-decorator]
    def on_stop(self, **payload: Any) -> call_result.StopTransaction:
        self._log(Action.stop_transaction, payload)
        return call_result.StopTransaction(id_tag_info={"status": "Accepted"})

    @on(Action.data_transfer)  # type: ignore[untyped-decorator]
    def on_data_transfer(self, **payload: Any) -> call_result.DataTransfer:
        self._log(Action.data_transfer, payload)
        return call_result.DataTransfer(status="Accepted", data=payload.get("data"))

    @on(Action.firmware_status_notification)  # type: ignore[untyped-decorator]
    def on_firmware(self, **payload: Any) -> call_result.FirmwareStatusNotification:
        self._log(Action.firmware_status_notification, payload)
        return call_result.FirmwareStatusNotification()

    @on(Action.diagnostics_status_notification)  # type: ignore[untyped-decorator]
    def on_diagnostics(self, **payload: Any) -> call_result.DiagnosticsStatusNotification:
        self._log(Action.diagnostics_status_notification, payload)
        return call_result.DiagnosticsStatusNotification()


class FakeCsms:
    def __init__(self, settings: CsmsSettings | None = None) -> None:
        self.settings = settings or CsmsSettings()
        self.received: list[Received] = []
        self.sessions: dict[str, CentralSystemSession] = {}
        self.headers: dict[str, str | None] = {}
        self.transaction_ids = itertools.count(1001)
        self._changed = asyncio.Condition()
        self._server: Server | None = None
        self.url = ""

    async def start(self) -> None:
        self._server = await serve(
            self._serve,
            "127.0.0.1",
            0,
            subprotocols=["ocpp1.6"],  # type: ignore[list-item]
            process_request=self._check_auth,
        )
        port = next(iter(self._server.sockets)).getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/ocpp"

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def record(self, message: Received) -> None:
        self.received.append(message)
        asyncio.get_running_loop().create_task(self._notify())

    def messages(self, action: str, station_id: str | None = None) -> list[dict[str, Any]]:
        return [
            m.payload
            for m in self.received
            if m.action == action and station_id in (None, m.station_id)
        ]

    def actions(self, station_id: str | None = None) -> list[str]:
        return [m.action for m in self.received if station_id in (None, m.station_id)]

    async def wait_for(
        self, action: str, count: int = 1, within: float = 30.0, station_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Wait until `count` messages of `action` arrived; return all of them."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.messages(action, station_id)) >= count)
        return self.messages(action, station_id)

    async def send(self, station_id: str, payload: Any) -> Any:
        """Send a command to a connected station and return its answer."""
        return await self.sessions[station_id].call(payload)

    async def drop(self, station_id: str) -> None:
        await self.sessions[station_id]._connection.close()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _check_auth(self, connection: ServerConnection, request: Request) -> Response | None:
        station_id = request.path.rsplit("/", 1)[-1]
        header = request.headers.get("Authorization")
        self.headers[station_id] = header
        if self.settings.password is None:
            return None
        expected = base64.b64encode(f"{station_id}:{self.settings.password}".encode()).decode()
        if header != f"Basic {expected}":
            return connection.respond(HTTPStatus.UNAUTHORIZED, "bad credentials\n")
        return None

    async def _serve(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        station_id = connection.request.path.rsplit("/", 1)[-1]
        session = CentralSystemSession(station_id, connection, self)
        self.sessions[station_id] = session
        with contextlib.suppress(ConnectionClosed):  # the station hung up
            await session.start()


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
