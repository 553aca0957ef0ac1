"""Run many simulated stations from one process: `run_fleet`.

Each station keeps itself online with one supervisor task (connect, boot, wait for the
drop, back off, reconnect). Everything periodic, the heartbeats and the session steps
of every connector, runs from one shared `Scheduler`, and new connections are staggered
at `connect_rate` per second so a thousand stations do not stampede the CSMS at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.call_record import CallOutcome
from chargeyard.simulator.clock import SystemClock
from chargeyard.simulator.connector import AC_RATINGS, StopReason
from chargeyard.simulator.errors import SimulatorError
from chargeyard.simulator.fleet_stats import FleetStats
from chargeyard.simulator.latency import LatencyStats
from chargeyard.simulator.protocols import STATIONS, ProtocolVersion
from chargeyard.simulator.reconnect import Backoff, keep_online
from chargeyard.simulator.scheduler import Job, Scheduler
from chargeyard.simulator.session_driver import SessionDriver
from chargeyard.simulator.session_plan import random_plan
from chargeyard.simulator.station import Station

DEFAULT_URL = "ws://127.0.0.1:8000/ocpp"
_GOODBYE_S = 5.0  # how long stations get to stop their transactions at the end


@dataclass(frozen=True)
class FleetConfig:
    url: str = DEFAULT_URL
    stations: int = 1
    prefix: str = "SIM"
    password: str | None = None  # shared by all stations
    connectors: int = 2
    duration_s: float | None = None  # None: until `stop` is set
    heartbeat_interval: int = 60
    meter_interval: int = 60
    id_tag: str = "SIMTAG0001"
    # A CSMS refuses a tag already charging elsewhere (ConcurrentTx); with unique tags
    # each connector's drivers present their own, see `id_tags`.
    unique_tags: bool = False
    protocol: ProtocolVersion = ProtocolVersion.OCPP16
    vendor: str = "Chargeyard"
    model: str = "Simulator AC"
    connect_rate: float = 50.0  # new connections per second
    # How long a car stays, and how long a connector then stays free, in meter intervals.
    stay_intervals: tuple[float, float] = (10.0, 60.0)
    idle_intervals: tuple[float, float] = (0.5, 5.0)
    behaviour: Behaviour = field(default_factory=Behaviour)
    response_timeout: float = 30.0
    progress_interval_s: float = 10.0
    seed: int | None = None

    def station_ids(self) -> list[str]:
        """`{prefix}0000`, `{prefix}0001`, ...: the ids to register with the CSMS first."""
        return [f"{self.prefix}{i:04d}" for i in range(self.stations)]

    def id_tags(self) -> list[str]:
        """The tags drivers present, to register with the CSMS before a run.

        `id_tag` alone, or with unique tags `{id_tag}00001` ... one per connector of the
        fleet, in station order.
        """
        if not self.unique_tags:
            return [self.id_tag]
        return [f"{self.id_tag}{n:05d}" for n in range(1, self.stations * self.connectors + 1)]

    def id_tag_for(self, station_index: int, connector_id: int) -> str:
        """The tag presented at a connector of the station `station_ids()[station_index]`."""
        if not self.unique_tags:
            return self.id_tag
        return f"{self.id_tag}{station_index * self.connectors + connector_id:05d}"


async def run_fleet(
    config: FleetConfig,
    *,
    on_progress: Callable[[FleetStats], None] | None = None,
    stop: asyncio.Event | None = None,
) -> FleetStats:
    """Run the fleet until `config.duration_s` passes or `stop` is set; return its stats."""
    return await _Fleet(config).run(on_progress, stop or asyncio.Event())


class _Fleet:
    def __init__(self, config: FleetConfig) -> None:
        self.config = config
        self.clock = SystemClock()
        self.latency = LatencyStats()
        self.scheduler = Scheduler()
        self.rng = random.Random(config.seed)
        self.reconnects = 0
        self.started = time.monotonic()
        make = STATIONS[config.protocol]
        self.stations = [
            make(
                config.url,
                station_id,
                password=config.password,
                connectors=config.connectors,
                vendor=config.vendor,
                model=config.model,
                heartbeat_interval=config.heartbeat_interval,
                meter_interval=config.meter_interval,
                behaviour=config.behaviour,
                rating=self.rng.choice(AC_RATINGS),
                clock=self.clock,
                recorder=self.latency,
                response_timeout=config.response_timeout,
            )
            for station_id in config.station_ids()
        ]
        self._supervisors: set[asyncio.Task[None]] = set()

    async def run(
        self, on_progress: Callable[[FleetStats], None] | None, stop: asyncio.Event
    ) -> FleetStats:
        scheduler = asyncio.create_task(self.scheduler.run(), name="fleet-scheduler")
        for index, station in enumerate(self.stations):
            launch = self._launch(index, station)
            self.scheduler.call_later(index / self.config.connect_rate, launch)
        if on_progress is not None:
            self.scheduler.call_later(self.config.progress_interval_s, self._progress(on_progress))
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.duration_s):
                    await stop.wait()
            await self.scheduler.drain(self.config.response_timeout + 1.0)
            await self._stop_work(scheduler)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(_GOODBYE_S):
                    await asyncio.gather(*(_stop_sessions(s) for s in self.stations))
            return self.snapshot()
        finally:
            await self._stop_work(scheduler)
            await asyncio.gather(*(station.close() for station in self.stations))

    def snapshot(self) -> FleetStats:
        latency = self.latency
        return FleetStats(
            stations=len(self.stations),
            connected=sum(1 for station in self.stations if station.connected),
            calls_sent=latency.sent,
            answers_received=latency.answered,
            call_errors=latency.outcomes[CallOutcome.CALL_ERROR],
            timeouts=latency.outcomes[CallOutcome.TIMED_OUT],
            commands_received=sum(station.commands_received for station in self.stations),
            sessions_started=latency.answered_by_action["StartTransaction"],
            reconnects=self.reconnects,
            elapsed_s=time.monotonic() - self.started,
            p50_s=latency.percentile(0.50),
            p99_s=latency.percentile(0.99),
        )

    def _launch(self, index: int, station: Station) -> Job:
        async def launch() -> None:
            supervise = self._supervise(index, station)
            task = asyncio.create_task(supervise, name=f"keep-{station.station_id}")
            self._supervisors.add(task)
            task.add_done_callback(self._supervisors.discard)

        return launch

    async def _supervise(self, index: int, station: Station) -> None:
        """Keep one station online: reconnect with jittered exponential backoff."""
        been_online = False

        def online() -> None:
            nonlocal been_online
            if been_online:
                self.reconnects += 1
            else:
                self._schedule_work(index, station)
                been_online = True

        await keep_online(station, Backoff(self.rng), online)

    def _schedule_work(self, index: int, station: Station) -> None:
        self.scheduler.call_later(station.heartbeat_interval, self._heartbeats(station))
        for connector_id in station.connector_ids:
            id_tag = self.config.id_tag_for(index, connector_id)
            sessions = _ConnectorSessions(self, station, connector_id, id_tag)
            self.scheduler.call_later(sessions.idle_s(), sessions)

    def _heartbeats(self, station: Station) -> Job:
        async def beat() -> float:
            if station.connected:
                with contextlib.suppress(SimulatorError):
                    await station.heartbeat()
            return station.heartbeat_interval

        return beat

    def _progress(self, report: Callable[[FleetStats], None]) -> Job:
        async def tick() -> float:
            report(self.snapshot())
            return self.config.progress_interval_s

        return tick

    async def _stop_work(self, scheduler: asyncio.Task[None]) -> None:
        """Stop the periodic work and the reconnecting; the connections stay open."""
        tasks = (scheduler, *self._supervisors)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class _ConnectorSessions:
    """Session after session on one connector, with the connector free in between."""

    def __init__(self, fleet: _Fleet, station: Station, connector_id: int, id_tag: str) -> None:
        self.fleet = fleet
        self.station = station
        self.connector_id = connector_id
        self.id_tag = id_tag
        self.driver: SessionDriver | None = None

    def idle_s(self) -> float:
        return (
            self.fleet.rng.uniform(*self.fleet.config.idle_intervals) * self.station.meter_interval
        )

    async def __call__(self) -> float:
        station, fleet = self.station, self.fleet
        if not station.connected:
            return station.meter_interval
        if self.driver is None:
            low, high = fleet.config.stay_intervals
            interval = station.meter_interval
            plan = random_plan(
                fleet.rng,
                self.connector_id,
                self.id_tag,
                stay_s=(low * interval, high * interval),
            )
            self.driver = SessionDriver(station, plan, fleet.clock)
        try:
            delay = await self.driver.step()
        except SimulatorError:
            return station.meter_interval  # offline or refused: try the same step again
        if delay is None:
            self.driver = None
            return self.idle_s()
        return delay


async def _stop_sessions(station: Station) -> None:
    """End running transactions so the CSMS is not left with sessions nobody closes."""
    if not station.connected:
        return
    for connector_id in station.connector_ids:
        if station.connector(connector_id).transaction is not None:
            with contextlib.suppress(SimulatorError):
                await station.end_transaction(connector_id, StopReason.OTHER)
