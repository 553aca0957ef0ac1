"""Real-time load sharing: weighted fair shares by water-filling, without a solver.

The rules, in order:
1. Admission: sessions are taken by priority (0 first), then arrival, then id (or, given a
   `Rotation`, in the order of their turns: `rotation.py`); each gets its minimum power if that
   still fits every constraint, otherwise it is paused (0 kW), never under-powered.
2. Priority 0 (opt-out) sessions are filled up to their maximum first.
3. The others share what is left by weighted progressive filling (max-min fairness): weight 16,
   8, 4, 2, 1 for priority 1 … 5.  A session stops growing at its maximum or when a constraint it
   loads is full; the rest keep growing.  An EV drawing well below what it was offered (a slow
   EV, seen in meter values) is capped near its measured power, so the rest goes to others.
4. Power step: shares are rounded down to the EVSE's step, then handed back step by step in
   admission order while they fit.

Each step only lowers loads or checks feasibility, so the result satisfies every constraint
whenever the minimums admitted do.  Deterministic: same snapshot, same result.
"""

from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from chargeyard.smart_charging.electrical import FloatArray, LineConstraint, feasible
from chargeyard.smart_charging.rotation import PRIORITY_WEIGHT, Rotation, Turn, next_turns
from chargeyard.smart_charging.rotation import order as rotation_order
from chargeyard.smart_charging.snapshot import SessionId, SiteSnapshot, compile_constraints

IntArray = npt.NDArray[np.int64]
_BISECTIONS = 50
_TOL = 1e-9


@dataclass(frozen=True)
class Allocation:
    power_kw: dict[SessionId, float]
    paused: tuple[SessionId, ...]
    turns: dict[SessionId, Turn] = field(default_factory=dict)
    """With a rotation: every session's turn after this step."""


@dataclass(frozen=True)
class Demand:
    """Per-session bounds and ranking, in the order of the constraint coefficients."""

    minimum: FloatArray
    maximum: FloatArray
    step: FloatArray
    priority: tuple[int, ...]
    order: tuple[int, ...]
    """Admission order: indices by priority, arrival, id."""
    idle: tuple[bool, ...] = ()
    """Per session: its EV draws well below the minimum it is offered (full or asleep)."""


def allocate(
    snapshot: SiteSnapshot, slow_ev_margin_kw: float = 1.0, rotation: Rotation | None = None
) -> Allocation:
    """Shares of one instant; with `rotation`, admission follows the sessions' turns and the
    result carries their next turns."""
    constraints = compile_constraints(snapshot)
    demand = demand_of(snapshot, slow_ev_margin_kw)
    waiting: set[int] = set()
    if rotation is not None:
        sequence, waiting = rotation_order(snapshot, rotation, demand.idle)
        demand = replace(demand, order=tuple(sequence))
    power = share(constraints, demand)
    ids = [s.id for s in snapshot.sessions]
    paused = tuple(ids[i] for i in demand.order if power[i] <= 0)
    shares = {sid: float(power[i]) for i, sid in enumerate(ids)}
    if rotation is None:
        return Allocation(shares, paused)
    refused = next(  # the first in the rotation (priority 0 is outside it) that did not fit
        (
            k
            for k, i in enumerate(demand.order)
            if demand.priority[i] != 0 and demand.minimum[i] > 0 and power[i] <= 0
        ),
        None,
    )
    served = [bool(p > 0) for p in power]
    turns = next_turns(snapshot, rotation, demand.order, waiting, served, refused)
    return Allocation(shares, paused, turns)


def demand_of(snapshot: SiteSnapshot, slow_ev_margin_kw: float = 1.0) -> Demand:
    n = len(snapshot.sessions)
    minimum, maximum, step = np.zeros(n), np.zeros(n), np.zeros(n)
    idle = [False] * n
    for i, session in enumerate(snapshot.sessions):
        evse = snapshot.evse(session.evse_id)
        top = evse.max_power_kw
        if session.max_power_kw is not None:
            top = min(top, session.max_power_kw)
        low = max(evse.min_power_kw, session.min_power_kw or 0.0)
        measured, offered = session.measured_power_kw, session.offered_power_kw
        if measured is not None and offered is not None and measured < offered - slow_ev_margin_kw:
            top = min(top, max(measured + slow_ev_margin_kw, low))
            idle[i] = 0 < low <= offered + _TOL and measured < low - slow_ev_margin_kw
        if low > top:  # its minimum is more than it may take: it cannot charge
            low = top = 0.0
        minimum[i], maximum[i], step[i] = low, top, evse.power_step_kw
    order = sorted(
        range(n),
        key=lambda i: (
            snapshot.sessions[i].priority,
            snapshot.sessions[i].arrival,
            snapshot.sessions[i].id,
        ),
    )
    priority = tuple(s.priority for s in snapshot.sessions)
    return Demand(minimum, maximum, step, priority, tuple(order), tuple(idle))


def share(constraints: list[LineConstraint], demand: Demand) -> FloatArray:
    """Powers (kW) per session satisfying every constraint; see the module docstring."""
    weights = np.array([PRIORITY_WEIGHT[p] for p in demand.priority])
    first = [i for i in demand.order if demand.priority[i] == 0]
    rest = [i for i in demand.order if demand.priority[i] != 0]
    power = np.zeros(len(demand.minimum))
    admitted: list[int] = []
    for tier, tier_weights in ((first, np.ones(len(power))), (rest, weights)):
        power = _admit(constraints, power, tier, demand.minimum)
        members = [i for i in tier if power[i] > 0 or demand.minimum[i] <= 0]
        power = _fill(constraints, power, members, tier_weights, demand.maximum)
        admitted += members
    return _round_to_steps(constraints, power, admitted, demand)


def _admit(
    constraints: list[LineConstraint], base: FloatArray, members: list[int], minimum: FloatArray
) -> FloatArray:
    power = base.copy()
    for i in members:
        if minimum[i] <= 0:
            continue
        power[i] = minimum[i]
        if not feasible(constraints, power):
            power[i] = 0.0
    return power


def _fill(
    constraints: list[LineConstraint],
    base: FloatArray,
    members: list[int],
    weights: FloatArray,
    maximum: FloatArray,
) -> FloatArray:
    """Weighted progressive filling of `members` above `base` (max-min fair)."""
    power = base.copy()
    free = [i for i in members if maximum[i] > power[i]]
    level = 0.0
    while free:
        idx = np.array(free)

        def at(value: float, idx: IntArray = idx, base: FloatArray = power) -> FloatArray:
            trial = base.copy()
            trial[idx] = np.minimum(maximum[idx], np.maximum(base[idx], weights[idx] * value))
            return trial

        top = float(np.max(maximum[idx] / weights[idx]))
        if feasible(constraints, at(top)):
            return at(top)
        low, high = level, top
        for _ in range(_BISECTIONS):
            mid = (low + high) / 2.0
            low, high = (mid, high) if feasible(constraints, at(mid)) else (low, mid)
        level = low
        power = at(level)
        blocked = _blocked(constraints, at(high))
        still = [i for i in free if power[i] < maximum[i] - _TOL and i not in blocked]
        if len(still) == len(free):
            break  # numerically stuck: keep the feasible level reached
        free = still
    return power


def _blocked(constraints: list[LineConstraint], beyond: FloatArray) -> set[int]:
    """Sessions loading a constraint that the next level up (`beyond`) violates."""
    blocked: set[int] = set()
    for c in constraints:
        if abs(c.coefficients @ beyond + c.offset) > c.limit:
            blocked.update(int(i) for i in np.flatnonzero(np.abs(c.coefficients) > 0))
    return blocked


def _round_to_steps(
    constraints: list[LineConstraint], power: FloatArray, admitted: list[int], demand: Demand
) -> FloatArray:
    stepped = demand.step > 0
    if not any(stepped[i] for i in admitted):
        return power
    result = power.copy()
    for i in admitted:
        if stepped[i] and result[i] > 0:
            rounded = np.floor(result[i] / demand.step[i] + 1e-9) * demand.step[i]
            result[i] = max(demand.minimum[i], rounded)
    for i in admitted:
        if not stepped[i] or (result[i] <= 0 and demand.minimum[i] > 0):
            continue
        room = int((demand.maximum[i] - result[i]) / demand.step[i] + 1e-9)
        low, high = 0, room
        while low < high:  # the most whole steps that still fit
            mid = (low + high + 1) // 2
            trial = result.copy()
            trial[i] += mid * demand.step[i]
            low, high = (mid, high) if feasible(constraints, trial) else (low, mid - 1)
        result[i] += low * demand.step[i]
    return result
