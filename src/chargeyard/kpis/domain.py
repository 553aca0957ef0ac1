"""Time-weighted KPIs from state histories: connectivity and uptime (availability). Pure.

A history is a `Timeline`: the state before the period and the changes inside it. The period is
cut into pieces at every change of any timeline involved, and each piece's length is added to
what the states in force judge it to be (`Judged`). See docs/alerts.md, "KPIs", for the definitions:

- **Connectivity**: the share of the observed time the station held a connection.
- **Uptime** (AFIR-style availability), per connector: up while the station is connected and the
  connector (and the station as a whole) reports Available, Occupied or Reserved; down while it
  reports Faulted, while the station is offline, or any other state; *excluded* while the
  connector or the station reports Unavailable (set unavailable on purpose: planned maintenance
  via ChangeAvailability), during a maintenance window of the station, its location or one
  above it (planned downtime announced through the API, whatever the station reports meanwhile)
  and before the
  connector first reported (no evidence either way).
  Uptime = up / (up + down); a station's is over all its connectors' time together. A station
  none of whose connectors ever reported is judged as one unit by its own status, or by its
  connection alone until it reports one.
- **Utilisation**: occupied (up, with a vehicle: `Occupied`) / (up + down), and of that the
  time the connector actually delivered energy, **charging** (the session's OCPP charging state
  was `Charging`: see `charging_change`) / (up + down). A vehicle plugged in but full
  (`SuspendedEV`), paused by the station (`SuspendedEVSE`) or still authorising (`Preparing`)
  occupies the connector without charging.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

S = TypeVar("S")

UP_STATUSES = frozenset({"Available", "Occupied", "Reserved"})
PLANNED = "Unavailable"
FAULTED = "Faulted"
OCCUPIED = "Occupied"
CHARGING = "Charging"
"""The OCPP state of a connector delivering energy: 1.6's status, 2.x's chargingState."""


def charging_change(reported: str) -> bool | None:
    """Whether a reported OCPP connector status or 2.x chargingState says the connector is
    delivering energy. None when it cannot say: a 2.x connector reports `Occupied` whether the
    car draws power or not (its transaction events' chargingState says which)."""
    if reported == OCCUPIED:
        return None
    return reported == CHARGING


@dataclass(frozen=True)
class Timeline(Generic[S]):
    """`initial` holds until the first change; each change holds from its instant on. Changes
    are sorted by time."""

    initial: S | None
    changes: Sequence[tuple[datetime, S]] = ()
    _times: list[datetime] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_times", [at for at, _ in self.changes])

    def at(self, instant: datetime) -> S | None:
        index = bisect_right(self._times, instant)
        return self.initial if index == 0 else self.changes[index - 1][1]

    def within(self, start: datetime, end: datetime) -> Sequence[tuple[datetime, S]]:
        """The changes strictly after `start` and before `end`: those that cut [start, end)
        (found by bisection, so that a day of a month's timeline costs that day's changes)."""
        return self.changes[bisect_right(self._times, start) : bisect_left(self._times, end)]


class Judged(StrEnum):
    UP = "up"
    DOWN = "down"
    EXCLUDED = "excluded"


MICROSECOND = timedelta(microseconds=1)


def microseconds(length: timedelta) -> int:
    return length // MICROSECOND


@dataclass(frozen=True)
class Tally:
    """Time judged, in whole microseconds (timestamps have no finer grain): integers add up
    exactly, so a period's tally is the same whether it is swept at once or summed from its
    days (the daily rollup, `rollup.py`), in any order."""

    up_us: int = 0
    down_us: int = 0
    excluded_us: int = 0
    occupied_us: int = 0
    """The part of `up_us` a vehicle occupied the connector (for utilisation)."""
    charging_us: int = 0
    """The part of `occupied_us` the connector delivered energy."""

    @property
    def up_s(self) -> float:
        return self.up_us / 1e6

    @property
    def down_s(self) -> float:
        return self.down_us / 1e6

    @property
    def excluded_s(self) -> float:
        return self.excluded_us / 1e6

    @property
    def occupied_s(self) -> float:
        return self.occupied_us / 1e6

    @property
    def charging_s(self) -> float:
        return self.charging_us / 1e6

    @property
    def measured_us(self) -> int:
        """All the time judged (up, down or excluded)."""
        return self.up_us + self.down_us + self.excluded_us

    @property
    def fraction(self) -> float | None:
        """Up over up plus down; None when nothing was measured."""
        counted = self.up_us + self.down_us
        return None if counted <= 0 else self.up_us / counted

    @property
    def utilisation(self) -> float | None:
        """Occupied over up plus down: the share of the time in service a vehicle used."""
        counted = self.up_us + self.down_us
        return None if counted <= 0 else self.occupied_us / counted

    @property
    def charging(self) -> float | None:
        """Charging over up plus down: the share of the time in service energy flowed."""
        counted = self.up_us + self.down_us
        return None if counted <= 0 else self.charging_us / counted

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.up_us + other.up_us,
            self.down_us + other.down_us,
            self.excluded_us + other.excluded_us,
            self.occupied_us + other.occupied_us,
            self.charging_us + other.charging_us,
        )


def tally_sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total = total + tally
    return total


def connectivity(start: datetime, end: datetime, connected: Timeline[bool]) -> Tally:
    """Connected time is up, the rest down (a station never connected is down)."""
    if start >= end:
        return Tally()
    up = down = 0
    begin, online = start, connected.at(start)
    for finish, now_online in [*connected.within(start, end), (end, None)]:
        if finish > begin:  # changes at one instant cut once: the last of them holds
            seconds = microseconds(finish - begin)
            if online:
                up += seconds
            else:
                down += seconds
            begin = finish
        online = now_online
    return Tally(up, down)


def connector_state(connected: bool | None, status: str | None, station: str | None) -> Judged:
    """One connector at one instant; `station` is the status the station reported for itself."""
    if status is None or PLANNED in (status, station):
        return Judged.EXCLUDED
    if not connected or station == FAULTED or status not in UP_STATUSES:
        return Judged.DOWN
    return Judged.UP


NEVER: Timeline[bool] = Timeline(False)
NOT_PLANNED = NEVER


def uptime(
    start: datetime,
    end: datetime,
    connected: Timeline[bool],
    station: Timeline[str],
    connectors: Sequence[Timeline[str]],
    planned: Timeline[bool] = NOT_PLANNED,
    charging: Sequence[Timeline[bool]] = (),
) -> Tally:
    """The station's uptime over all its connectors' time together; time `planned` (in a
    maintenance window) is excluded, whatever the station reports. `charging[i]`, when given,
    says when `connectors[i]` delivered energy: that part of its occupied time is charging.

    One sweep over the changes inside the period, in time order, keeping the state each
    timeline holds: a piece (up to the next change of any timeline) is judged by the states in
    force at its beginning, as `Timeline.at` reads them, without a search per timeline and
    piece (a month of a busy station is thousands of pieces); and a day of a month's timelines
    costs that day's changes, not the month's. Lengths add up as whole microseconds, so the
    figures are exact whatever the order or cut (a period summed from its days included)."""
    if start >= end:
        return Tally()
    count = len(connectors)
    delivering = list(charging)[:count]
    delivering += [NEVER] * (count - len(delivering))
    # The state of each timeline, by position: the connection, the station's own status, each
    # connector's, the maintenance windows, then whether each connector delivers energy.
    timelines: list[Timeline[Any]] = [connected, station, *connectors, planned, *delivering]
    state: list[Any] = [timeline.at(start) for timeline in timelines]
    changes = [
        (at, index, value)
        for index, timeline in enumerate(timelines)
        for at, value in timeline.within(start, end)
    ]
    changes.sort(key=_instant)  # stable: a timeline's changes at one instant keep their order
    up = down = excluded = occupied = flowing = 0
    seen, total = 0, len(changes)
    begin, finish = start, start
    while begin < end:
        while seen < total and changes[seen][0] <= finish:
            _, index, value = changes[seen]
            state[index] = value
            seen += 1
        begin = finish
        if begin >= end:
            break
        finish = changes[seen][0] if seen < total else end
        length = microseconds(finish - begin)
        if state[count + 2]:
            excluded += length * max(count, 1)
            continue
        online, itself = state[0], state[1]
        if not count:
            # No connector ever reported: the station is the one unit, judged by its own
            # status, or by its connection alone until it reports one.
            status = itself or "Available"
            judged = connector_state(online, status, None)
            if judged is Judged.UP:
                up += length
                if status == OCCUPIED:
                    occupied += length
            elif judged is Judged.DOWN:
                down += length
            else:
                excluded += length
            continue
        for index in range(count):
            status = state[2 + index]
            judged = connector_state(online, status, itself)
            if judged is Judged.UP:
                up += length
                if status == OCCUPIED:
                    occupied += length
                    if state[count + 3 + index]:
                        flowing += length
            elif judged is Judged.DOWN:
                down += length
            else:
                excluded += length
    return Tally(up, down, excluded, occupied, flowing)


def _instant(change: tuple[datetime, int, Any]) -> datetime:
    return change[0]
