"""KPI use cases: read the histories in scope, build timelines, tally them (`domain.py`)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

from chargeyard.clock import Clock, as_utc
from chargeyard.errors import Invalid
from chargeyard.kpis import domain, rollup
from chargeyard.kpis.domain import Tally, Timeline, tally_sum
from chargeyard.kpis.repository import KpiRepository, Scope
from chargeyard.kpis.sessions import Interval, SessionStats, intervals, session_stats, total
from chargeyard.locations.domain import is_timezone
from chargeyard.maintenance_windows.domain import planned_changes
from chargeyard.storage.session import AsyncSession

DEFAULT_PERIOD = timedelta(days=7)
MAX_INTERVALS = 1000
OUT_OF_RANGE = "the period reaches beyond the calendar (year 1 or 9999)"


def calendar_zone(name: str, *, asked: str | None) -> tzinfo:
    """The zone whose calendar cuts days: `asked` when given (422 if it is no IANA zone), else
    `name` (a location's, validated when it was stored; UTC should it not open)."""
    if asked is not None and not is_timezone(asked):
        raise Invalid(f"{asked!r} is not an IANA time zone (such as Europe/Berlin)")
    return ZoneInfo(name) if name != "UTC" and is_timezone(name) else UTC


@dataclass(frozen=True)
class SessionReport:
    items: list[SessionStats]
    total: SessionStats
    timezone: str
    """The zone whose calendar cut the intervals."""


@dataclass(frozen=True)
class Measured:
    tally: Tally
    start: datetime
    end: datetime
    stations: int


@dataclass(frozen=True)
class Calendar:
    """The intervals of a period in a local calendar (`sessions.intervals`), and its zone."""

    zone: tzinfo
    periods: list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class MeasuredIntervals:
    """A time-weighted KPI over the period, and over each interval of the calendar."""

    total: Measured
    items: list[Measured]
    timezone: str


def period(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The period asked for: a week ending now by default, or a week from `start` / up to
    `end` when only one is given."""
    start = None if start is None else as_utc(start)
    end = None if end is None else as_utc(end)
    if start is None and end is None:
        end = now
    try:
        if start is None:
            assert end is not None
            start = end - DEFAULT_PERIOD
        if end is None:
            end = start + DEFAULT_PERIOD
    except OverflowError:
        raise Invalid(OUT_OF_RANGE) from None
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
    """In a maintenance window of the station or of a location at or above it (planned downtime)."""
    charging: list[Timeline[bool]] = field(default_factory=list)
    """`charging[i]`: when `connectors[i]` delivered energy."""
    places: list["Place"] = field(default_factory=list)
    """`places[i]`: where `connectors[i]` is, (EVSE, connector)."""


Place = tuple[int, int | None]
"""A connector of a station: (EVSE, connector); a 1.6 connector n is (n, 1)."""


def timeline(changes: Sequence[tuple[datetime, bool]]) -> Timeline[bool]:
    return Timeline(None, changes)


def charging_timeline(changes: list[tuple[datetime, int, bool]]) -> Timeline[bool]:
    """A connector's charging timeline from changes tagged with their rank at a tie."""
    return Timeline(False, [(at, flowing) for at, _, flowing in sorted(changes)])


class KpiService:
    def __init__(
        self, session: AsyncSession, scope: Scope, clock: Clock, *, rollup: bool = True
    ) -> None:
        self.repository = KpiRepository(session, scope)
        self.clock = clock
        self.rollup = rollup
        """Measure uptime and utilisation from the daily rollup where it holds the days
        (`rollup.py`; the same answers); False: from the histories alone."""

    def window(
        self, start: datetime, end: datetime, registered: datetime
    ) -> tuple[datetime, datetime]:
        """A station is measured from its registration, and never past now."""
        return max(start, as_utc(registered)), min(end, self.clock())

    async def connectivity(self, start: datetime, end: datetime) -> Measured:
        stations = await self.repository.stations()
        history = await self._connections(start, end)
        tallies = [
            domain.connectivity(*self.window(start, end, registered), history[station])
            for station, registered in stations.items()
        ]
        return Measured(tally_sum(tallies), start, end, len(stations))

    async def uptime(self, start: datetime, end: datetime, *, charging: bool = False) -> Measured:
        """Uptime, and the occupied time; with `charging`, the charging time too (utilisation's
        share, which reads every session's charging states: only asked for where answered)."""
        rolled = (
            await rollup.measure(self, [(start, end)], charging=charging) if self.rollup else None
        )
        if rolled is not None:
            return rolled[0]
        histories = await self.histories(start, end, charging=charging)
        return self._measured(histories, start, end)

    async def uptime_intervals(
        self,
        start: datetime,
        end: datetime,
        interval: Interval,
        timezone: str | None = None,
        *,
        charging: bool = False,
    ) -> MeasuredIntervals:
        """`uptime` over the period and per day, week or month of the calendar that cuts the
        session statistics (`calendar`), from the histories read once."""
        calendar = await self.calendar(start, end, interval, timezone)
        periods = [(start, end), *calendar.periods]
        found = (
            await rollup.measure(self, periods, charging=charging, within_first=True)
            if self.rollup
            else None
        )
        if found is not None:
            return MeasuredIntervals(found[0], found[1:], str(calendar.zone))
        histories = await self.histories(start, end, charging=charging)
        return MeasuredIntervals(
            self._measured(histories, start, end),
            [self._measured(histories, low, high) for low, high in calendar.periods],
            str(calendar.zone),
        )

    def _measured(
        self, histories: dict[str, "StationHistory"], start: datetime, end: datetime
    ) -> Measured:
        tallies = [self._uptime(history, start, end) for history in histories.values()]
        return Measured(tally_sum(tallies), start, end, len(histories))

    def _uptime(self, history: "StationHistory", start: datetime, end: datetime) -> Tally:
        """One station's uptime tally over [start, end), from its registration to now."""
        return domain.uptime(
            *self.window(start, end, history.registered),
            history.connected,
            history.own,
            history.connectors,
            history.planned,
            history.charging,
        )

    async def histories(
        self, start: datetime, end: datetime, *, charging: bool = False
    ) -> dict[str, "StationHistory"]:
        """Each station's connection, own status, connectors' statuses and maintenance windows
        over the period; with `charging`, when each connector delivered energy (without it, no
        charging timeline is built: uptime and the availability series do not need one)."""
        stations = await self.repository.stations()
        connections = await self._connections(start, end)
        planned = await self.repository.planned(start, end)
        own: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        connectors: dict[str, dict[Place, list[tuple[datetime, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # Whether each connector delivers energy: what a 1.6 status says (`Charging` or not),
        # then a 2.x session's chargingStates, then its end (the last word at a tie).
        flows: dict[str, dict[Place, list[tuple[datetime, int, bool]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        rows = await self.repository.statuses(start, end)
        for station, evse_id, connector_id, status, at, ocpp_status in rows:
            if evse_id is None:
                own[station].append((at, status))
                continue
            place = (evse_id, connector_id)
            connectors[station][place].append((at, status))
            says = domain.charging_change(ocpp_status) if charging else None
            if says is not None:
                flows[station][place].append((at, 0, says))
        states = await self.repository.charging_states(start, end) if charging else []
        for station, evse_id, connector_id, state, at in states:
            ended = state is None
            flowing = not ended and state == domain.CHARGING
            flows[station][evse_id, connector_id].append((at, 1 + ended, flowing))
        return {
            station: StationHistory(
                registered,
                connections[station],
                Timeline(None, own[station]),
                [Timeline(None, changes) for changes in connectors[station].values()],
                Timeline(False, planned_changes(planned.get(station, []))),
                [charging_timeline(flows[station][place]) for place in connectors[station]]
                if charging
                else [],
                list(connectors[station]),
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
                up.append(self._uptime(history, low, high))
                first, last = self.window(low, high, history.registered)
                connected.append(domain.connectivity(first, last, history.connected))
            found.append((tally_sum(up), tally_sum(connected)))
        return found

    async def calendar(
        self, start: datetime, end: datetime, interval: Interval, timezone: str | None = None
    ) -> Calendar:
        """[start, end) cut into the days, weeks or months of `timezone`'s calendar (by default
        the scope's location's, else UTC): the one calendar of every per-interval KPI. 422 for
        an unknown zone, a period beyond the calendar or more than `MAX_INTERVALS`."""
        zone = calendar_zone(timezone or await self.repository.timezone(), asked=timezone)
        try:
            periods = intervals(start, end, interval, at_most=MAX_INTERVALS, zone=zone)
        except (OverflowError, ValueError):
            raise Invalid(OUT_OF_RANGE) from None
        if len(periods) > MAX_INTERVALS:
            raise Invalid(f"at most {MAX_INTERVALS} intervals: ask for a longer interval")
        return Calendar(zone, periods)

    async def sessions(
        self, start: datetime, end: datetime, interval: Interval, timezone: str | None = None
    ) -> SessionReport:
        """Per interval of the calendar (`calendar`), and over the whole period."""
        await self.repository.stations()  # a station of another organization is not found
        calendar = await self.calendar(start, end, interval, timezone)
        stats = session_stats(await self.repository.sessions(start, end), calendar.periods)
        return SessionReport(stats, total(stats, start, end), str(calendar.zone))

    async def _connections(self, start: datetime, end: datetime) -> dict[str, Timeline[bool]]:
        changes: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
        for station, at, connected in await self.repository.connectivity(start, end):
            changes[station].append((at, connected))
        return defaultdict(lambda: Timeline(None), {k: timeline(v) for k, v in changes.items()})
