"""The optimizer's input: a frozen snapshot of a site (circuits, EVSEs, sessions) at one instant.

Snapshots are plain values, built by the service layer from the database and live OCPP state, or
by a benchmark from a data set.  `compile_constraints` turns the circuit tree into the line
constraints the allocation and the schedules work on.  No I/O here.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NewType

import numpy as np

from chargeyard.smart_charging.electrical import ElectricalSpec, Line, LineConstraint, Supply

METER_VOLTAGE_V = 230.0
"""Line-to-neutral voltage a metered power is turned into current with: a meter reports power,
not current, so its load is taken as balanced over its circuit's phases at power factor 1."""

CircuitId = NewType("CircuitId", str)
EvseId = NewType("EvseId", str)
SessionId = NewType("SessionId", str)


class Objective(StrEnum):
    LOAD_SHARING = "load_sharing"
    FLEET = "fleet"
    OFF = "off"
    """Not managed: the circuit's limit is not enforced by Chargeyard."""


@dataclass(frozen=True)
class CapacityWindow:
    """A time-varying limit (e.g. a demand-response curtailment): min(static, this) applies."""

    start: datetime
    end: datetime
    max_power_kw: float | None = None
    max_current_a: float | None = None

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Circuit:
    """A node of the tree: the site connection (no parent) or a sub-circuit.

    A limit in kW bounds the sum of active power; a limit in A bounds the current on each of its
    `phases` lines (L1.. in order).  The buffer is kept free under either limit.
    """

    id: CircuitId
    parent_id: CircuitId | None = None
    max_power_kw: float | None = None
    max_current_a: float | None = None
    phases: int = 3
    buffer_kw: float = 0.0
    buffer_a: float = 0.0
    windows: tuple[CapacityWindow, ...] = ()
    objective: Objective = Objective.LOAD_SHARING
    rotation_slice_s: float | None = None
    """How long a paused session's turn lasts once admitted (`rotation.py`); None: the
    nearest circuit above decides, else the default."""
    metered_kw: float = 0.0
    """Load measured on this circuit by meters that are not stations (external meters): a
    fixed load on this circuit and on every circuit above it, as an EVSE's draw is. Never
    negative: power fed in here frees nothing on this circuit (a discharge does not either)."""

    def __post_init__(self) -> None:
        if self.metered_kw < 0:
            raise ValueError("metered_kw is a load: 0 or more")

    def power_limit(self, instant: datetime) -> float | None:
        values = [w.max_power_kw for w in self.windows if w.covers(instant)]
        return _tightest(self.max_power_kw, values, self.buffer_kw)

    def current_limit(self, instant: datetime) -> float | None:
        values = [w.max_current_a for w in self.windows if w.covers(instant)]
        return _tightest(self.max_current_a, values, self.buffer_a)


def _tightest(static: float | None, windows: list[float | None], buffer: float) -> float | None:
    candidates = [v for v in (static, *windows) if v is not None]
    return max(0.0, min(candidates) - buffer) if candidates else None


@dataclass(frozen=True)
class Evse:
    id: EvseId
    circuit_id: CircuitId
    electrical: ElectricalSpec
    max_power_kw: float
    min_power_kw: float = 0.0
    power_step_kw: float = 0.0
    idle_reserve_kw: float = 0.0
    """Power kept for this EVSE while no session is on it (so a new arrival can start)."""
    bidirectional: bool = False


@dataclass(frozen=True)
class Session:
    """A vehicle plugged in.  Priority 0 is opt-out (maximum power), 1 high … 5 very low."""

    id: SessionId
    evse_id: EvseId
    arrival: datetime
    priority: int = 3
    departure: datetime | None = None
    departures: tuple[datetime, ...] = ()
    """When the departure is learnt, every departure the driver's past stays suggest, earliest
    first and equally likely (`departures.learnt_departures`; `departure` is then the point
    estimate shown); empty: `departure` is certain (or there is none). The fleet plan then
    plans to the latest and weighs each slot's kWh by the chance the driver is still there
    (`horizon.fleet_problem`, `departures.presence`)."""
    energy_needed_kwh: float | None = None
    max_power_kw: float | None = None
    """The vehicle's own limit; the EVSE's applies too."""
    min_power_kw: float | None = None
    measured_power_kw: float | None = None
    offered_power_kw: float | None = None
    """What the last allocation gave, to tell a slow EV (measured well below it)."""
    ev_model: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.priority <= 5:
            raise ValueError("priority is 0 (maximum) to 5 (very low)")


@dataclass(frozen=True)
class SiteSnapshot:
    now: datetime
    circuits: tuple[Circuit, ...]
    evses: tuple[Evse, ...]
    sessions: tuple[Session, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)

    def evse(self, evse_id: EvseId) -> Evse:
        return next(e for e in self.evses if e.id == evse_id)

    def ancestors(self, circuit_id: CircuitId) -> Iterator[Circuit]:
        """The circuit and every circuit above it, up to the site connection."""
        by_id = {c.id: c for c in self.circuits}
        current: CircuitId | None = circuit_id
        seen: set[CircuitId] = set()
        while current is not None:
            if current in seen:
                raise ValueError(f"circuit tree has a cycle at {current}")
            seen.add(current)
            node = by_id[current]
            yield node
            current = node.parent_id


_LINES = (Line.L1, Line.L2, Line.L3)


def compile_constraints(
    snapshot: SiteSnapshot, instant: datetime | None = None
) -> list[LineConstraint]:
    """One constraint per limited circuit (kW) and per line of a circuit limited in A.

    Coefficients follow the order of `snapshot.sessions`; EVSEs without a session add their idle
    reserve as a fixed load (the offset), and so does the metered load of the circuit and of
    every circuit under it (`Circuit.metered_kw`). A fixed load beyond the limit counts as the
    limit: the circuit's sessions get nothing, and no other constraint is made unmeetable by
    it (a meter reading above a sub-circuit's limit took every session of the site to 0).
    """
    at = snapshot.now if instant is None else instant
    n = len(snapshot.sessions)
    constraints: list[LineConstraint] = []
    above = {c.id: frozenset(a.id for a in snapshot.ancestors(c.id)) for c in snapshot.circuits}
    for circuit in sorted(snapshot.circuits, key=lambda c: c.id):
        if circuit.objective is Objective.OFF:
            continue
        kw_limit, a_limit = circuit.power_limit(at), circuit.current_limit(at)
        if kw_limit is None and a_limit is None:
            continue
        loads = _loads_under(snapshot, circuit.id, above)
        metered = [c for c in snapshot.circuits if c.metered_kw > 0 and circuit.id in above[c.id]]
        if kw_limit is not None:
            coeffs = np.zeros(n, dtype=np.complex128)
            offset = complex(sum(c.metered_kw for c in metered))
            for evse, index in loads:
                if index is not None:
                    coeffs[index] = 1.0
                else:
                    offset += evse.idle_reserve_kw
            constraints.append(
                LineConstraint(f"{circuit.id}:kW", coeffs, kw_limit, _at_most(offset, kw_limit))
            )
        if a_limit is not None:
            for line in _LINES[: circuit.phases]:
                coeffs = np.zeros(n, dtype=np.complex128)
                offset = sum((metered_amps(c, line) for c in metered), 0j)
                for evse, index in loads:
                    phasor = evse.electrical.line_phasors().get(line, 0j)
                    per_kw = phasor * evse.electrical.amps_per_kw
                    if index is not None:
                        coeffs[index] = per_kw
                    else:
                        offset += per_kw * evse.idle_reserve_kw
                constraints.append(
                    LineConstraint(
                        f"{circuit.id}:{line.value}", coeffs, a_limit, _at_most(offset, a_limit)
                    )
                )
    return constraints


def metered_amps(circuit: Circuit, line: Line) -> complex:
    """The current phasor a circuit's metered load draws on one line: balanced over the
    circuit's phases (L1.. in order) at `METER_VOLTAGE_V`, power factor 1; 0 on a line the
    circuit does not have."""
    lines = _LINES[: circuit.phases]
    if line not in lines:
        return 0j
    amps = circuit.metered_kw * 1000.0 / (len(lines) * METER_VOLTAGE_V)
    return amps * ElectricalSpec(Supply.AC_THREE_PHASE_LN, METER_VOLTAGE_V).line_phasors()[line]


def _at_most(offset: complex, limit: float) -> complex:
    """A fixed load scaled down to the limit where it passes it. Loads on one line are within
    30 degrees of each other (power factor 1), so with the offset at the limit no session
    under it fits either: it gets 0, as it would unscaled, while the allocation still finds
    every session's power 0 feasible and serves the other circuits."""
    size = abs(offset)
    return offset if size <= limit else offset * (limit / size)


def _loads_under(
    snapshot: SiteSnapshot, circuit_id: CircuitId, above: dict[CircuitId, frozenset[CircuitId]]
) -> list[tuple[Evse, int | None]]:
    """EVSEs in the subtree of a circuit, each with the index of its session (if any)."""
    session_index = {s.evse_id: i for i, s in enumerate(snapshot.sessions)}
    return [
        (evse, session_index.get(evse.id))
        for evse in snapshot.evses
        if circuit_id in above[evse.circuit_id]
    ]
