"""A raw OCPP-J client for tests that must send exactly the frames they mean, malformed ones too."""

import base64
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

PASSWORD = "correct-horse-battery-staple"


def basic_auth(station_id: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{station_id}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class RawStation:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self._ids = itertools.count(1)

    async def send_raw(self, frame: str) -> list[Any]:
        await self.socket.send(frame)
        return list(json.loads(await self.socket.recv()))

    async def call(
        self, action: str, payload: dict[str, Any], unique_id: str | None = None
    ) -> list[Any]:
        unique_id = unique_id or f"m{next(self._ids)}"
        return await self.send_raw(json.dumps([2, unique_id, action, payload]))

    async def ok(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL that must succeed; return its CALLRESULT payload."""
        answer = await self.call(action, payload)
        assert answer[0] == 3, f"{action} failed: {answer}"
        return dict(answer[2])


@asynccontextmanager
async def raw_station(
    ocpp_url: str,
    station_id: str,
    password: str | None = PASSWORD,
    subprotocol: str = "ocpp1.6",
) -> AsyncIterator[RawStation]:
    headers = basic_auth(station_id, password) if password else {}
    async with connect(
        f"{ocpp_url}/{station_id}",
        subprotocols=[subprotocol],  # type: ignore[list-item]
        additional_headers=headers,
        open_timeout=10,
    ) as socket:
        yield RawStation(socket)
