"""KPI use cases: read the histories in scope, build timelines, tally them (`domain.py`)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.clock import Clock, as_utc
from chargeyard.errors import Invalid
from chargeyard.kpis import domain
from chargeyard.kpis.domain import Tally, Timeline, tally_sum
from chargeyard.kpis.repository import KpiRepository, Scope
from chargeyard.kpis.sessions import Interval, SessionStats, intervals, session_stats, total
from chargeyard.maintenance_windows.domain import planned_changes

DEFAULT_PERIOD = timedelta(days=7)
MAX_INTERVALS = 1000


@dataclass(frozen=True)
class Measured:
    tally: Tally
    start: datetime
    end: datetime
    stations: int


def period(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The period asked for: a week ending now by default, or a week from `start` / up to
    `end` when only one is given."""
    start = None if start is None else as_utc(start)
    end = None if end is None else as_utc(end)
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - DEFAULT_PERIOD
    if end is None:
        end = start + DEFAULT_PERIOD
    if start >= end:
        raise Invalid("start must be before end")
    return start, end


@dataclass(frozen=True)
class StationHistory:
    registered: datetime
    connected: Timeline[bool]
    own: Timeline[str]
    connectors: list[Timeline[str]]
    planned: Timeline[bool]
    """In a maintenance window of the station or its location (planned downtime)."""


def timeline(changes: Sequence[tuple[datetime, bool]]) -> Timeline[bool]:
    return Timeline(None, changes)


class KpiService:
    def __init__(self, session: AsyncSession, scope: Scope, clock: Clock) -> None:
        self.repository = KpiRepository(session, scope)
        self.clock = clock

    def _window(
        self, start: datetime, end: datetime, registered: datetime
    ) -> tuple[datetime, datetime]:
        """A station is measured from its registration, and never past now."""
        return max(start, as_utc(registered)), min(end, self.clock())

    async def connectivity(self, start: datetime, end: datetime) -> Measured:
        stations = await self.repository.stations()
        history = await self._connections(start, end)
        tallies = [
            domain.connectivity(*self._window(start, end, registered), history[station])
            for station, registered in stations.items()
        ]
        return Measured(tally_sum(tallies), start, end, len(stations))

    async def uptime(self, start: datetime, end: datetime) -> Measured:
        histories = await self.histories(start, end)
        tallies = [
            domain.uptime(
                *self._window(start, end, history.registered),
                history.connected,
                history.own,
                history.connectors,
                history.planned,
            )
            for history in histories.values()
        ]
        return Measured(tally_sum(tallies), start, end, len(histories))

    async def histories(self, start: datetime, end: datetime) -> dict[str, "StationHistory"]:
        """Each station's connection, own status, connectors' statuses and maintenance windows
        over the period."""
        stations = await self.repository.stations()
        connections = await self._connections(start, end)
        planned = await self.repository.planned(start, end)
        own: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        connectors: dict[str, dict[tuple[int, int | None], list[tuple[datetime, str]]]] = (
            defaultdict(lambda: defaultdict(list))
        )
        for row in await self.repository.statuses(start, end):
            if row.evse_id is None:
                own[row.station_id].append((row.at, row.status))
            else:
                connectors[row.station_id][row.evse_id, row.connector_id].append(
                    (row.at, row.status)
                )
        return {
            station: StationHistory(
                registered,
                connections[station],
                Timeline(None, own[station]),
                [Timeline(None, changes) for changes in connectors[station].values()],
                Timeline(False, planned_changes(planned.get(station, []))),
            )
            for station, registered in stations.items()
        }

    async def series(self, bounds: Sequence[datetime]) -> list[tuple[Tally, Tally]]:
        """(uptime, connectivity) of each bucket between consecutive `bounds`, over the
        stations in scope, from their histories read once."""
        histories = await self.histories(bounds[0], bounds[-1])
        found = []
        for low, high in pairwise(bounds):
            up, connected = [], []
            for history in histories.values():
                first, last = self._window(low, high, history.registered)
                up.append(
                    domain.uptime(
                        first,
                        last,
                        history.connected,
                        history.own,
                        history.connectors,
                        history.planned,
                    )
                )
                connected.append(domain.connectivity(first, last, history.connected))
            found.append((tally_sum(up), tally_sum(connected)))
        return found

    async def sessions(
        self, start: datetime, end: datetime, interval: Interval
    ) -> tuple[list[SessionStats], SessionStats]:
        """Per interval, and over the whole period."""
        await self.repository.stations()  # a station of another organization is not found
        periods = intervals(start, end, interval)
        if len(periods) > MAX_INTERVALS:
            raise Invalid(f"at most {MAX_INTERVALS} intervals: ask for a longer interval")
        stats = session_stats(await self.repository.sessions(start, end), periods)
        return stats, total(stats, start, end)

    async def _connections(self, start: datetime, end: datetime) -> dict[str, Timeline[bool]]:
        changes: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
        for station, at, connected in await self.repository.connectivity(start, end):
            changes[station].append((at, connected))
        return defaultdict(lambda: Timeline(None), {k: timeline(v) for k, v in changes.items()})
