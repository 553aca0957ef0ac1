"""A circuit's load and limits over time, as the smart charging page plots them and
`/api/v1/timeseries/circuits/{id}` resamples them. No I/O.

Three step lines on one time axis (`load_steps`; drawn for the page in seconds since the
epoch, as uPlot expects):

- **load**: the sum, over the circuit's sessions running at that instant, of each one's latest
  measured power (`Power.Active.Import`, no phase); a session with no reading yet counts 0.
  Plus the latest reading of each external meter on the circuit or under it (and, for a site
  connection, on its location), signed: a meter feeding in lowers the load.
- **limits in force**: the sum, over the same sessions, of the limit smart charging put in
  force for each, as OCPP stacks them: the session's own TxProfile once its station accepted
  one, else the TxDefaultProfile of its EVSE, else the station-wide one (EVSE 0). A discharge
  (a negative limit, V2G) counts 0: the sum is of what the stations may import. While a
  running session has none of these, the sum is not known (a gap): that session is not held.
  Plus the same meters' latest readings, each as an import (a meter feeding in counts 0, as
  a discharge does): the most the circuit may draw, which the planner keeps within its limit.
- **limit**: the circuit's kW limit at that instant less its buffer, with capacity windows and
  curtailments (`smart_charging.snapshot.Circuit.power_limit`, what the planner keeps to).

A value holds until the next point (the page draws steps). A profile's first limit is what
counts (a fleet schedule's later slots are not followed).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from chargeyard.load_management.in_force import stacked
from chargeyard.smart_charging.snapshot import Circuit

TX_PROFILE = "TxProfile"
TX_DEFAULT = "TxDefaultProfile"


@dataclass(frozen=True)
class SessionSpan:
    """A session on one of the circuit's stations, and when it ran."""

    transaction_id: int
    station_id: str
    evse_id: int
    started_at: datetime
    stopped_at: datetime | None

    def running(self, at: datetime) -> bool:
        return self.started_at <= at and (self.stopped_at is None or at < self.stopped_at)


@dataclass(frozen=True)
class PowerReading:
    transaction_id: int
    at: datetime
    kw: float


@dataclass(frozen=True)
class LimitAccepted:
    """A profile smart charging sent and the station accepted (`delivered`)."""

    station_id: str
    evse_id: int
    transaction_id: int | None
    purpose: str
    at: datetime
    kw: float


@dataclass(frozen=True)
class MeterPower:
    """An external meter's reading: a load on the circuit until the meter's next one."""

    meter_id: str
    at: datetime
    kw: float


class _Sweep:
    """The running sums at the instant the sweep has reached, kept up to date event by event
    (a span can hold hundreds of thousands of readings: nothing is summed again from scratch)."""

    def __init__(self) -> None:
        self.power: dict[int, float] = {}
        self.tx_limit: dict[int, float] = {}
        self.default_limit: dict[tuple[str, int], float] = {}
        self.running: dict[int, SessionSpan] = {}
        self.at_station: dict[str, set[int]] = {}
        self.held: dict[int, float | None] = {}
        self.metered: dict[str, float] = {}
        self.load_kw = 0.0
        self.limits_kw = 0.0
        self.unheld = 0

    def limit_of(self, session: SessionSpan) -> float | None:
        return stacked(
            self.tx_limit.get(session.transaction_id),
            self.default_limit.get((session.station_id, session.evse_id)),
            self.default_limit.get((session.station_id, 0)),
        )

    def _hold(self, tx: int, value: float | None) -> None:
        """Replace session `tx`'s limit in the sum."""
        old = self.held.get(tx)
        if tx in self.held:
            if old is None:
                self.unheld -= 1
            else:
                self.limits_kw -= _import(old)
        self.held[tx] = value
        if value is None:
            self.unheld += 1
        else:
            self.limits_kw += _import(value)

    def start(self, session: SessionSpan) -> None:
        tx = session.transaction_id
        self.running[tx] = session
        self.at_station.setdefault(session.station_id, set()).add(tx)
        self.load_kw += self.power.get(tx, 0.0)
        self._hold(tx, self.limit_of(session))

    def stop(self, session: SessionSpan) -> None:
        tx = session.transaction_id
        if self.running.pop(tx, None) is None:
            return
        self.at_station[session.station_id].discard(tx)
        self.load_kw -= self.power.get(tx, 0.0)
        value = self.held.pop(tx)
        if value is None:
            self.unheld -= 1
        else:
            self.limits_kw -= _import(value)

    def read(self, reading: PowerReading) -> None:
        tx = reading.transaction_id
        if tx in self.running:
            self.load_kw += reading.kw - self.power.get(tx, 0.0)
        self.power[tx] = reading.kw

    def meter(self, reading: MeterPower) -> None:
        old = self.metered.get(reading.meter_id, 0.0)
        self.metered[reading.meter_id] = reading.kw
        self.load_kw += reading.kw - old
        self.limits_kw += _import(reading.kw) - _import(old)

    def accept(self, limit: LimitAccepted) -> None:
        if limit.purpose == TX_PROFILE and limit.transaction_id is not None:
            self.tx_limit[limit.transaction_id] = limit.kw
            affected = {limit.transaction_id} & self.running.keys()
        elif limit.purpose == TX_DEFAULT:
            self.default_limit[(limit.station_id, limit.evse_id)] = limit.kw
            affected = set(self.at_station.get(limit.station_id, ()))
        else:
            return
        for tx in affected:
            self._hold(tx, self.limit_of(self.running[tx]))


def _import(limit_kw: float) -> float:
    """What a limit lets a session import: a discharge counts 0, never as room for others
    (a vehicle that ignores it draws nothing, not minus the discharge)."""
    return max(limit_kw, 0.0)


MAX_POINTS = 1_500
"""A span with more changes is drawn in this many intervals, each at its peaks."""


@dataclass(frozen=True)
class LoadSeries:
    time: list[float]
    load_kw: list[float]
    limits_kw: list[float | None]
    limit_kw: list[float | None]
    session_limits_kw: dict[int, float | None]
    """The limit in force for each session running at the end of the series."""

    def as_json(self) -> dict[str, object]:
        return {
            "time": self.time,
            "load_kw": self.load_kw,
            "limits_kw": self.limits_kw,
            "limit_kw": self.limit_kw,
        }


# What happens at one instant, in this order: sessions start, readings and accepted profiles
# arrive, sessions stop (a session stopped at t no longer counts at t).
_START, _EVENT, _STOP = 0, 1, 2


Step = tuple[datetime, float, float | None]
"""(instant, load kW, sum of the limits in force kW or None when not known), holding until the
next step."""


@dataclass(frozen=True)
class LoadSteps:
    """Every change of the load and of the sum of the limits from `since` to `until` (the
    last step is at `until`), before any drawing or resampling."""

    circuit: Circuit
    since: datetime
    until: datetime
    steps: list[Step]
    session_limits_kw: dict[int, float | None]
    """The limit in force for each session running at `until`."""


def load_steps(
    circuit: Circuit,
    sessions: Sequence[SessionSpan],
    readings: Iterable[PowerReading],
    limits: Iterable[LimitAccepted],
    since: datetime,
    until: datetime,
    meters: Iterable[MeterPower] = (),
) -> LoadSteps:
    """The load and the sum of the limits at each instant either changes, from `since` to
    `until`; readings and limits from before `since` set the state the steps start in."""
    timeline: list[tuple[datetime, int, int, object]] = []
    for n, session in enumerate(sessions):
        timeline.append((session.started_at, _START, n, session))
        if session.stopped_at is not None:
            timeline.append((session.stopped_at, _STOP, n, session))
    events: list[PowerReading | LimitAccepted | MeterPower] = [*readings, *limits, *meters]
    for n, event in enumerate(events):
        timeline.append((event.at, _EVENT, n, event))
    for n, window in enumerate(circuit.windows):
        for edge in (window.start, window.end):
            if since < edge < until:
                timeline.append((edge, _EVENT, -1 - n, None))
    timeline.sort(key=lambda item: item[:3])
    sweep = _Sweep()
    points: list[Step] = []
    cursor = 0
    instants = sorted({since, until} | {t for t, *_ in timeline if since < t <= until})
    for at in instants:
        while cursor < len(timeline) and timeline[cursor][0] <= at:
            _apply(sweep, timeline[cursor][1], timeline[cursor][3])
            cursor += 1
        held = None if sweep.unheld else max(0.0, sweep.limits_kw)
        points.append((at, max(0.0, sweep.load_kw), held))
    running = {tx: sweep.held[tx] for tx in sweep.running}
    return LoadSteps(circuit, since, until, points, running)


def load_series(
    circuit: Circuit,
    sessions: Sequence[SessionSpan],
    readings: Iterable[PowerReading],
    limits: Iterable[LimitAccepted],
    since: datetime,
    until: datetime,
    meters: Iterable[MeterPower] = (),
) -> LoadSeries:
    """The three lines from `since` to `until`, as the circuit page draws them."""
    return drawn(load_steps(circuit, sessions, readings, limits, since, until, meters))


def drawn(found: LoadSteps) -> LoadSeries:
    """The steps as the page plots them (`_drawn`), with the limits of the running sessions."""
    out = _drawn(found.circuit, found.steps, found.since, found.until)
    return LoadSeries(
        out.time, out.load_kw, out.limits_kw, out.limit_kw, dict(found.session_limits_kw)
    )


def _apply(sweep: _Sweep, kind: int, item: object) -> None:
    if kind == _START and isinstance(item, SessionSpan):
        sweep.start(item)
    elif kind == _STOP and isinstance(item, SessionSpan):
        sweep.stop(item)
    elif isinstance(item, PowerReading):
        sweep.read(item)
    elif isinstance(item, LimitAccepted):
        sweep.accept(item)
    elif isinstance(item, MeterPower):
        sweep.meter(item)


def _drawn(
    circuit: Circuit,
    points: list[tuple[datetime, float, float | None]],
    since: datetime,
    until: datetime,
) -> LoadSeries:
    """The points as the plot takes them, at most `MAX_POINTS` of them: beyond that, each
    interval of the span is drawn at its highest load and sum of limits and its lowest limit
    (peaks stay visible; a gap in the sum anywhere in an interval is a gap)."""
    out = LoadSeries([], [], [], [], {})
    width = (until - since) / MAX_POINTS
    bucket: list[tuple[datetime, float, float | None]] = []

    def flush() -> None:
        first = bucket[0][0]
        held = [p[2] for p in bucket]
        # The limit moves only at window edges: its lowest in the interval is at one of them.
        edges = [e for w in circuit.windows for e in (w.start, w.end) if first < e <= bucket[-1][0]]
        limits = [circuit.power_limit(t) for t in (first, *edges)]
        out.time.append(first.timestamp())
        out.load_kw.append(round(max(p[1] for p in bucket), 3))
        out.limits_kw.append(
            None if any(v is None for v in held) else round(max(v or 0.0 for v in held), 3)
        )
        known = [v for v in limits if v is not None]
        out.limit_kw.append(round(min(known), 3) if known else None)
        bucket.clear()

    coarse = len(points) > MAX_POINTS
    for point in points:
        if bucket and (not coarse or point[0] - bucket[0][0] >= width or point[0] == until):
            flush()
        bucket.append(point)
    if bucket:
        flush()
    return out
