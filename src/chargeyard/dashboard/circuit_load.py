"""A circuit's load and limits over time, as the smart charging page plots them. No I/O.

Three step lines on one time axis (seconds since the epoch, as uPlot expects):

- **load**: the sum, over the circuit's sessions running at that instant, of each one's latest
  measured power (`Power.Active.Import`, no phase); a session with no reading yet counts 0.
- **limits in force**: the sum, over the same sessions, of the limit smart charging put in
  force for each, as OCPP stacks them: the session's own TxProfile once its station accepted
  one, else the TxDefaultProfile of its EVSE, else the station-wide one (EVSE 0). While a
  running session has none of these, the sum is not known (a gap): that session is not held.
- **limit**: the circuit's kW limit at that instant less its buffer, with capacity windows and
  curtailments (`smart_charging.snapshot.Circuit.power_limit`, what the planner keeps to).

A value holds until the next point (the page draws steps). A profile's first limit is what
counts (a fleet schedule's later slots are not followed).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass
class _State:
    """What is known at the instant the sweep has reached."""

    power: dict[int, float] = field(default_factory=dict)
    tx_limit: dict[int, float] = field(default_factory=dict)
    default_limit: dict[tuple[str, int], float] = field(default_factory=dict)

    def apply(self, event: PowerReading | LimitAccepted) -> None:
        if isinstance(event, PowerReading):
            self.power[event.transaction_id] = event.kw
        elif event.purpose == TX_PROFILE and event.transaction_id is not None:
            self.tx_limit[event.transaction_id] = event.kw
        elif event.purpose == TX_DEFAULT:
            self.default_limit[(event.station_id, event.evse_id)] = event.kw

    def limit_of(self, session: SessionSpan) -> float | None:
        found = self.tx_limit.get(session.transaction_id)
        if found is None:
            found = self.default_limit.get((session.station_id, session.evse_id))
        if found is None:
            found = self.default_limit.get((session.station_id, 0))
        return found


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


def _event_time(event: PowerReading | LimitAccepted) -> datetime:
    return event.at


def load_series(
    circuit: Circuit,
    sessions: Sequence[SessionSpan],
    readings: Iterable[PowerReading],
    limits: Iterable[LimitAccepted],
    since: datetime,
    until: datetime,
) -> LoadSeries:
    """The three lines from `since` to `until`; readings and limits from before `since` set
    the state the series starts in."""
    events: list[PowerReading | LimitAccepted] = sorted([*readings, *limits], key=_event_time)
    instants = {since, until}
    instants |= {e.at for e in events if since < e.at <= until}
    for session in sessions:
        instants |= {t for t in (session.started_at, session.stopped_at) if t and since < t < until}
    for window in circuit.windows:
        instants |= {t for t in (window.start, window.end) if since < t < until}
    state = _State()
    out = LoadSeries([], [], [], [], {})
    cursor = 0
    for at in sorted(instants):
        while cursor < len(events) and events[cursor].at <= at:
            state.apply(events[cursor])
            cursor += 1
        running = [s for s in sessions if s.running(at)]
        held = [state.limit_of(s) for s in running]
        out.time.append(at.timestamp())
        out.load_kw.append(round(sum(state.power.get(s.transaction_id, 0.0) for s in running), 3))
        out.limits_kw.append(
            None if any(v is None for v in held) else round(sum(v or 0.0 for v in held), 3)
        )
        limit = circuit.power_limit(at)
        out.limit_kw.append(None if limit is None else round(limit, 3))
        if at == until:
            out.session_limits_kw.update(
                {s.transaction_id: v for s, v in zip(running, held, strict=True)}
            )
    return out
