"""The daily rollup of uptime and utilisation: a period measured from the UTC days already
tallied (`utilisation_days`) and, for what is left, from the histories, with the same answer to
the microsecond as measuring it all from the histories (`KpiService.histories`).

Why it adds up exactly. A station's tally is the sum of its connectors' tallies (each connector
is judged on its own against the station's connection, own status and maintenance windows), and
a period's is the sum of its pieces' (a piece starting at a day's midnight is judged by the
states in force then, as the sweep across that midnight would). Tallies are whole microseconds
(`domain.Tally`), so the sums are exact in any order. Two things depend on the period as a whole,
and the composition keeps them: the connectors measured are those that reported before the
period's end (a connector that first reports later in the period is excluded, not absent,
before that), and a station none of whose connectors reported by then is judged as one unit.
So each day holds a row per connector reported by its end and one for the station as a unit
(`models.UNIT`), and a connector missing from a day counts that day as excluded. Intervals of a
period (its days, weeks or months) measure the connectors of the whole period, as they do when
measured from the period's histories read once.

When rows are stale. The job (`rollup_job.py`) writes a day only once it is over (and settled,
`SETTLE`), and forgets the days a change recorded later can alter (`days.stale_from`): a late
status, a late chargingState (`transaction_event.late`), a session closed afterwards, a
maintenance window changed. A reader does not wait for the job: the changes the job has not
judged yet (after its cursor, or not yet sequenced) make the days they can alter be measured
from the histories in the same read. The day still running is always measured from the
histories. One assumption, which OCPP makes: a session's transaction events in seqNo order are
in time order (the charging states are read in seqNo order, `KpiRepository.charging_states`).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from chargeyard.kpis import domain, rollup_repository
from chargeyard.kpis.days import (
    DAY,
    EVERY_DAY,
    Span,
    merged,
    stale_from,
    start_of,
    uncovered,
    whole_days,
)
from chargeyard.kpis.domain import Tally, tally_sum
from chargeyard.kpis.models import UNIT, UtilisationDay

if TYPE_CHECKING:
    from chargeyard.kpis.service import KpiService, Measured, StationHistory

Key = tuple[int, int]
"""A place as stored: (EVSE, connector; 0 when the station reported none)."""


@dataclass(frozen=True)
class Parts:
    """One stretch of one station (a day from the rollup, or a piece measured): the station as
    one unit, and each connector reported by the stretch's end."""

    unit: Tally
    places: Mapping[Key, Tally]


def key(place: tuple[int, int | None]) -> Key:
    return place[0], place[1] or 0


def measured_parts(
    service: "KpiService", history: "StationHistory", start: datetime, end: datetime
) -> Parts:
    """A station's stretch measured from its history, connector by connector."""
    first, last = service.window(start, end, history.registered)
    common = (history.connected, history.own)
    unit = domain.uptime(first, last, *common, [], history.planned)
    places = {}
    for index, place in enumerate(history.places):
        flows = history.charging[index : index + 1]
        places[key(place)] = domain.uptime(
            first, last, *common, [history.connectors[index]], history.planned, flows
        )
    return Parts(unit, places)


def reported(parts: Iterable[Parts], wanted: "Wanted") -> set[Key]:
    """The connectors measured over these stretches: each one reported by their end."""
    return {place for part in parts for place in part.places if wanted(place)}


def composed(parts: Iterable[Parts], measured: set[Key]) -> Tally:
    """A station's tally over its stretches (`Parts`): each `measured` connector, and one not
    yet reported in a stretch counts it as excluded; no connector at all: the station as one
    unit."""
    parts = list(parts)
    if not measured:
        return tally_sum(part.unit for part in parts)
    total = Tally()
    for part in parts:
        absent = Tally(excluded_us=part.unit.measured_us)
        for place in measured:
            total = total + part.places.get(place, absent)
    return total


class Wanted:
    """The places a scope measures: every connector, or one EVSE's (or one connector's)."""

    def __init__(self, evse_id: int | None, connector_id: int | None) -> None:
        self.evse_id, self.connector_id = evse_id, connector_id

    def __call__(self, place: Key) -> bool:
        if self.evse_id is None:
            return True
        return place[0] == self.evse_id and (
            self.connector_id is None or place[1] == self.connector_id
        )


async def measure(
    service: "KpiService", periods: Sequence[Span], *, charging: bool, within_first: bool = False
) -> list["Measured"] | None:
    """Each period's tally over the stations in scope, from the rollup and the histories.
    `within_first`: the periods after the first are intervals of it, and measure the connectors
    the first does (those reported by its end), as intervals measured from the first period's
    histories do. None when the pieces left to measure from the histories would cover the
    whole stretch (a period within one day, days in a zone that is not UTC): then the rollup
    has nothing to save, and the caller measures from the histories."""
    from chargeyard.kpis.service import Measured

    repository = service.repository
    now = service.clock()
    wanted_days = [whole_days(start, min(end, now)) for start, end in periods]
    edges = [uncovered(a, b, wanted_days[i]) for i, (a, b) in enumerate(periods)]
    hull = (min(a for a, _ in periods), max(b for _, b in periods))
    if merged([piece for found in edges for piece in found]) == [hull]:
        return None  # the histories of the whole stretch are read anyway: the rows add nothing
    stations = await repository.stations()
    rows = await _rows(service, stations, sorted({d for days in wanted_days for d in days}))
    covered = {
        (index, station): [d for d in days if d in rows.get(station, {})]
        for index, days in enumerate(wanted_days)
        for station in stations
    }
    pieces = {
        (index, station): uncovered(start, end, covered[index, station])
        for index, (start, end) in enumerate(periods)
        for station in stations
    }
    spans = merged([piece for found in pieces.values() for piece in found])
    histories = [
        (span, await service.histories(span[0], span[1], charging=charging)) for span in spans
    ]
    wanted = Wanted(repository.scope.evse_id, repository.scope.connector_id)
    found = []
    places: dict[str, set[Key]] = {}
    for index, (start, end) in enumerate(periods):
        tallies = []
        for station in stations:
            parts = [rows[station][day] for day in covered[index, station]]
            for low, high in pieces[index, station]:
                history = next(h for (a, b), h in histories if a <= low and high <= b)[station]
                parts.append(measured_parts(service, history, low, high))
            if not (within_first and index):
                places[station] = reported(parts, wanted)
            tally = composed(parts, places[station])
            tallies.append(tally if charging else replace(tally, charging_us=0))
        found.append(Measured(tally_sum(tallies), start, end, len(stations)))
    return found


async def _rows(
    service: "KpiService", stations: Collection[str], days: Sequence[date]
) -> dict[str, dict[date, Parts]]:
    """The rollup's days of these stations, less those a change not judged yet can alter."""
    if not days:
        return {}
    session = service.repository.session
    organization_id = service.repository.scope.organization_id
    found = await rollup_repository.days(session, organization_id, stations, days[0], days[-1])
    grouped: dict[str, dict[date, dict[Key, Tally]]] = defaultdict(lambda: defaultdict(dict))
    for row in found:
        station, day, evse, connector, up, down, excluded, occupied, flowing = row
        grouped[station][day][evse, connector] = Tally(up, down, excluded, occupied, flowing)
    cursor = await rollup_repository.cursor(session)
    stale = stale_days(await rollup_repository.unjudged(session, organization_id, cursor))
    everything = stale.get(None)
    result: dict[str, dict[date, Parts]] = {}
    for station, by_day in grouped.items():
        since = min(filter(None, (stale.get(station), everything)), default=None)
        result[station] = {
            day: Parts(places.pop(UNIT), places)
            for day, places in by_day.items()
            if UNIT in places and (since is None or day < since)
        }
    return result


def stale_days(
    changes: Iterable[tuple[str, str | None, str, datetime, Any]],
) -> dict[str | None, date]:
    """The first day each station's rows can no longer be trusted, by station (None: every
    station of the organization), from changes recorded after the rows were written."""
    stale: dict[str | None, date] = {}
    for _, station, type, occurred_at, data in changes:
        since = stale_from(type, occurred_at, data)
        subject = None if since == EVERY_DAY or station is None else station
        stale[subject] = min(since, stale.get(subject, since))
    return stale


def day_rows(
    service: "KpiService",
    organization_id: str,
    histories: Mapping[str, "StationHistory"],
    day: date,
) -> list[UtilisationDay]:
    """The rows of one UTC day for these stations' histories (read for that day)."""
    start = start_of(day)
    end = start + DAY
    rows = []
    for station, history in histories.items():
        parts = measured_parts(service, history, start, end)
        for (evse, connector), tally in [(UNIT, parts.unit), *parts.places.items()]:
            rows.append(
                UtilisationDay(
                    organization_id=organization_id,
                    station_id=station,
                    day=day,
                    evse_id=evse,
                    connector_id=connector,
                    up_us=tally.up_us,
                    down_us=tally.down_us,
                    excluded_us=tally.excluded_us,
                    occupied_us=tally.occupied_us,
                    charging_us=tally.charging_us,
                )
            )
    return rows
