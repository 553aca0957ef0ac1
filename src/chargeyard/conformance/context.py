"""What a run is pointed at (`Target`) and what one case works with (`CaseContext`).

A case opens its own connections, and everything it leaves behind (its connections, the ID
tags it created through the API, transactions a failure left running) is undone by the
context's cleanup, so the next case starts from a station at rest.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from chargeyard.clock import Clock
from chargeyard.conformance.case import CaseFailed
from chargeyard.conformance.link import StationLink
from chargeyard.conformance.operator_api import OperatorApi


@dataclass(frozen=True)
class Target:
    url: str
    station_id: str
    password: str | None
    id_tag: str | None = None
    api: OperatorApi | None = None
    timeout_s: float = 10.0
    # The station's own time, for every timestamp it sends and date it asks for: the wall
    # clock from the command line; a test hands its server's clock.
    clock: Clock = field(kw_only=True)


Cleanup = Callable[[], Awaitable[None]]


class CaseContext:
    def __init__(self, target: Target, version: str) -> None:
        self.target = target
        self.version = version
        self._cleanups: list[Cleanup] = []
        self._accepted_tag: str | None = target.id_tag
        self.clock = target.clock

    @property
    def station_id(self) -> str:
        return self.target.station_id

    @property
    def api(self) -> OperatorApi:
        if self.target.api is None:
            raise CaseFailed("this case needs --api-token")
        return self.target.api

    async def command(self, name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """Have the CSMS send the station a command (through the API) and wait for the
        station's answer; the answer as the CSMS reports it (`status`, `response`)."""
        return await self.api.command(self.station_id, name, body)

    async def connect(
        self, *, password: str | None = None, username: str | None = None
    ) -> StationLink:
        """A new connection as the target station (replacing any earlier one at the CSMS)."""
        target = self.target
        link = await StationLink.open(
            target.url,
            target.station_id,
            self.version,
            password=target.password if password is None else password,
            username=username,
            timeout_s=target.timeout_s,
        )
        self.on_cleanup(link.close)
        return link

    def on_cleanup(self, undo: Cleanup) -> None:
        """Run `undo` when the case ends, pass or fail (last registered runs first)."""
        self._cleanups.append(undo)

    async def cleanup(self) -> None:
        while self._cleanups:
            undo = self._cleanups.pop()
            with contextlib.suppress(Exception):
                await undo()

    async def accepted_tag(self) -> str:
        """An ID tag the CSMS accepts: `--id-tag`, or one created through the API."""
        if self._accepted_tag is None:
            self._accepted_tag = await self.tag_with_status("Accepted")
        return self._accepted_tag

    async def tag_with_status(self, status: str) -> str:
        """A new ID tag the CSMS holds with `status` ("Expired": accepted, but expired an
        hour ago), deleted again when the case ends."""
        value = f"OCTT{uuid.uuid4().hex[:12].upper()}"
        expires_at = None
        if status == "Expired":
            status, expires_at = "Accepted", self.clock() - timedelta(hours=1)
        tag_id = await self.api.create_tag(value, status, expires_at)

        async def delete() -> None:
            await self.api.delete_tag(tag_id)

        self.on_cleanup(delete)
        return value


def unknown_tag() -> str:
    """An ID tag no CSMS has heard of."""
    return f"UNKNOWN{uuid.uuid4().hex[:12].upper()}"
