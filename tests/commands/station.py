"""A scripted 1.6 station for command tests: it answers every CSMS CALL from a table, remembers
what it received, can stay silent (timeouts) or answer with a CALLERROR, and sends its own CALLs.

Unlike the raw client it reads in the background, so CSMS-initiated CALLs and the answers to the
station's own CALLs can interleave as they do on a real link.
"""

import asyncio
import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from tests.support.ocpp_client import PASSWORD, basic_auth

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Wallbox 22"}

# What a cooperative station answers to each CSMS command.
ACCEPTING: dict[str, dict[str, Any]] = {
    "RemoteStartTransaction": {"status": "Accepted"},
    "RemoteStopTransaction": {"status": "Accepted"},
    "Reset": {"status": "Accepted"},
    "UnlockConnector": {"status": "Unlocked"},
    "ChangeAvailability": {"status": "Accepted"},
    "TriggerMessage": {"status": "Accepted"},
    "GetConfiguration": {
        "configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}],
        "unknownKey": [],
    },
    "ChangeConfiguration": {"status": "Accepted"},
    "ClearCache": {"status": "Accepted"},
    "DataTransfer": {"status": "Accepted", "data": "pong"},
    "ReserveNow": {"status": "Accepted"},
    "CancelReservation": {"status": "Accepted"},
    "SendLocalList": {"status": "Accepted"},
    "GetLocalListVersion": {"listVersion": 7},
    "UpdateFirmware": {},
    "GetDiagnostics": {"fileName": "diag-2026.zip"},
    "SetChargingProfile": {"status": "Accepted"},
    "ClearChargingProfile": {"status": "Accepted"},
    "GetCompositeSchedule": {
        "status": "Accepted",
        "connectorId": 1,
        "chargingSchedule": {
            "chargingRateUnit": "W",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}],
        },
    },
}

REJECTING: dict[str, dict[str, Any]] = {
    "RemoteStartTransaction": {"status": "Rejected"},
    "RemoteStopTransaction": {"status": "Rejected"},
    "Reset": {"status": "Rejected"},
    "UnlockConnector": {"status": "UnlockFailed"},
    "ChangeAvailability": {"status": "Rejected"},
    "TriggerMessage": {"status": "Rejected"},
    "ChangeConfiguration": {"status": "Rejected"},
    "ClearCache": {"status": "Rejected"},
    "DataTransfer": {"status": "UnknownVendorId"},
    "ReserveNow": {"status": "Occupied"},
    "CancelReservation": {"status": "Rejected"},
    "SendLocalList": {"status": "Failed"},
    "SetChargingProfile": {"status": "Rejected"},
    "ClearChargingProfile": {"status": "Unknown"},
    "GetCompositeSchedule": {"status": "Rejected"},
}


@dataclass
class ScriptedStation:
    socket: ClientConnection
    answers: dict[str, dict[str, Any]] = field(default_factory=lambda: dict(ACCEPTING))
    silent: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[list[Any]]] = {}
        self._arrived = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def ok(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one CALL of the station's own; return the CSMS's CALLRESULT payload."""
        unique_id = f"s{next(self._ids)}"
        future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._pending[unique_id] = future
        await self.socket.send(json.dumps([2, unique_id, action, payload]))
        answer = await asyncio.wait_for(future, 10)
        assert answer[0] == 3, f"{action} failed: {answer}"
        return dict(answer[2])

    def calls(self, action: str) -> list[dict[str, Any]]:
        return [payload for name, payload in self.received if name == action]

    async def wait_for(self, action: str, count: int = 1) -> list[dict[str, Any]]:
        async with asyncio.timeout(5):
            while len(self.calls(action)) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.calls(action)

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.socket:
                frame = json.loads(raw)
                if frame[0] == 2:
                    await self._answer(frame[1], frame[2], frame[3])
                elif frame[1] in self._pending:
                    self._pending.pop(frame[1]).set_result(frame)

    async def _answer(self, unique_id: str, action: str, payload: dict[str, Any]) -> None:
        self.received.append((action, payload))
        self._arrived.set()
        if action in self.silent:
            return
        if action in self.errors:
            reply = [4, unique_id, self.errors[action], "scripted failure", {}]
        else:
            reply = [3, unique_id, self.answers.get(action, {})]
        await self.socket.send(json.dumps(reply))

    async def close(self) -> None:
        await self.socket.close()
        with contextlib.suppress(Exception):
            await self._reader


@asynccontextmanager
async def scripted_station(
    ocpp_url: str,
    station_id: str,
    subprotocol: str = "ocpp1.6",
    boot: dict[str, Any] | None = None,
) -> AsyncIterator[ScriptedStation]:
    """A booted station; a 2.x one (`subprotocol`) needs its own `boot` payload."""
    async with connect(
        f"{ocpp_url}/{station_id}",
        subprotocols=[subprotocol],  # type: ignore[list-item]
        additional_headers=basic_auth(station_id, PASSWORD),
        open_timeout=10,
    ) as socket:
        station = ScriptedStation(socket)
        try:
            booted = await station.ok("BootNotification", boot or BOOT)
            assert booted["status"] == "Accepted"
            yield station
        finally:
            await station.close()
