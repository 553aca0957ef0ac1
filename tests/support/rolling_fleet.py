"""Simulated stations (1.6 and 2.0.1 mixed) kept online as the bundled simulator keeps them
(`simulator/reconnect.py`: 1 s doubling to 30 s, jittered), counting what a rolling restart must
not cause: a failed attempt to come online (a refused TCP connection, an HTTP refusal such as
503 or 500, a handshake timeout, a socket closed before the boot was answered) and boots
answered late or not at all. Shared by tests/cluster/test_rolling_restart.py and
benchmarks/rolling_restart.py.
"""

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from chargeyard.simulator import SimulatedStation
from chargeyard.simulator.call_record import CallOutcome, CallRecord
from chargeyard.simulator.errors import ConnectFailed
from chargeyard.simulator.reconnect import Backoff, keep_online
from chargeyard.simulator.station_link import StationLink
from chargeyard.simulator.station_v201 import SimulatedStationV201

LATE_S = 10.0
"""A boot answered later than this is late: most firmware times out a handshake after 10 s."""

BOOTS = ("BootNotification",)


@dataclass
class Tally:
    """One station's record: how often it came online, when last, and every failed attempt."""

    online: int = 0
    online_at: float = 0.0
    failures: list[str] = field(default_factory=list)


@dataclass
class FleetRecorder:
    """The fleet's CALL outcomes that matter here: boots answered late or not at all, and the
    answers to everything else that failed."""

    boots_late: int = 0
    boots_unanswered: int = 0
    failed_calls: dict[str, int] = field(default_factory=dict)
    last: dict[tuple[str, str], CallOutcome] = field(default_factory=dict)

    def record(self, record: CallRecord) -> None:
        self.last[(record.station_id, record.action)] = record.outcome
        if record.action in BOOTS:
            if record.outcome is CallOutcome.TIMED_OUT:
                self.boots_unanswered += 1
            elif record.latency_s is not None and record.latency_s > LATE_S:
                self.boots_late += 1
        if record.outcome is not CallOutcome.ANSWERED:
            key = f"{record.action}: {record.outcome}"
            self.failed_calls[key] = self.failed_calls.get(key, 0) + 1


class CountingLink(StationLink):
    """A station link noting each failed attempt to come online in its tally."""

    tally: Tally

    async def connect(self) -> None:
        try:
            await super().connect()
        except ConnectFailed as error:
            self.tally.failures.append(error.reason)
            raise

    async def _relink(self) -> bool:
        noted = len(self.tally.failures)
        online = await super()._relink()
        if not online and len(self.tally.failures) == noted:
            self.tally.failures.append("the socket closed before the station came online")
        return online


class CountingStation16(CountingLink, SimulatedStation):
    pass


class CountingStation201(CountingLink, SimulatedStationV201):
    pass


CountingStation = CountingStation16 | CountingStation201


class RollingFleet:
    """Stations that stay online through a load balancer while its nodes restart."""

    def __init__(self, url: str, station_ids: list[str], password: str, seed: int = 0) -> None:
        self.recorder = FleetRecorder()
        self.tallies = {station_id: Tally() for station_id in station_ids}
        self.stations: dict[str, CountingStation] = {}
        for index, station_id in enumerate(station_ids):
            kind = CountingStation16 if index % 2 == 0 else CountingStation201
            station = kind(
                url,
                station_id,
                password=password,
                connectors=1,
                heartbeat_interval=300,
                meter_interval=300,
                recorder=self.recorder,
                response_timeout=30.0,
            )
            station.tally = self.tallies[station_id]
            self.stations[station_id] = station
        self._rng = random.Random(seed)
        self._keepers: list[asyncio.Task[None]] = []
        self._changed = asyncio.Event()

    def start(self, station_ids: Iterable[str] | None = None) -> None:
        """Keep these stations (default: all) online from now on."""
        for station_id in self.stations if station_ids is None else station_ids:
            station = self.stations[station_id]
            backoff = Backoff(random.Random(self._rng.random()))
            self._keepers.append(
                asyncio.create_task(
                    keep_online(station, backoff, self._on_online(station_id)),
                    name=f"keep-online-{station_id}",
                )
            )

    async def stop(self) -> None:
        for keeper in self._keepers:
            keeper.cancel()
        await asyncio.gather(*self._keepers, return_exceptions=True)
        for station in self.stations.values():
            with contextlib.suppress(Exception):
                await station.close()

    def marks(self) -> dict[str, int]:
        """How often each station has come online so far (to tell who came back since)."""
        return {station_id: tally.online for station_id, tally in self.tallies.items()}

    def failures(self) -> dict[str, list[str]]:
        return {sid: list(tally.failures) for sid, tally in self.tallies.items() if tally.failures}

    def failure_count(self) -> int:
        return sum(len(tally.failures) for tally in self.tallies.values())

    async def wait_online(
        self, station_ids: Iterable[str], since: dict[str, int] | None = None
    ) -> None:
        """Until each of these stations is online (and, with `since`, came online again after
        that mark). No deadline of its own: the caller bounds it. One waiter at a time."""
        wanted = list(station_ids)
        marks = since or {}
        while not all(
            self.tallies[sid].online > marks.get(sid, 0) and self.stations[sid].connected
            for sid in wanted
        ):
            self._changed.clear()
            await self._changed.wait()

    def _on_online(self, station_id: str) -> Callable[[], None]:
        def online() -> None:
            tally = self.tallies[station_id]
            tally.online += 1
            tally.online_at = time.monotonic()
            self._changed.set()

        return online
