"""From a site snapshot to a fleet LP over a horizon of equal slots.

The circuit tree's limits become per-slot limits: capacity windows (demand-response
curtailments included) per slot; at the site connection, solar production adds and building
baseload subtracts (measured or forecast, one value per slot); a price constraint caps the share
of the site's capacity usable in slots whose price is above a threshold.  V2G windows let
bidirectional EVSEs discharge, and set a target for the site's net import (sessions plus
baseload less solar) that discharge brings the site down to where the sessions can afford it
(`schedule.IMPORT_EXCESS_COST`).  Sessions without a departure are planned to the horizon's end;
without an energy need, to their maximum power over their stay.  A session whose departure is
learnt comes with the spread of departures its driver's past stays suggest (`Session.departures`):
it is planned to the latest (plus `departures.BLUR`), and a kWh planned in a slot costs, beside
its usual costs, a kWh unmet times the chance the driver has left by then
(`departures.presence`, `schedule.FleetProblem.presence`: the rule the benchmarked MPC plans
with, `online.OnlineState.presence`).  A session's weight is its
priority's, tilted towards the sessions nearly done (`completion.completion_weights`, the rule the
benchmarked MPC uses): when not all can be served, the shortfall goes to those needing most.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from chargeyard.smart_charging.completion import DEFAULT_TILT, completion_weights
from chargeyard.smart_charging.departures import BLUR, presence
from chargeyard.smart_charging.electrical import FloatArray
from chargeyard.smart_charging.schedule import (
    EARLY_COST,
    FAIR_COST,
    IMPORT_EXCESS_COST,
    FleetProblem,
    FleetSchedule,
    IntArray,
    TimedConstraint,
    solve,
)
from chargeyard.smart_charging.snapshot import (
    Circuit,
    CircuitId,
    Session,
    SiteSnapshot,
    compile_constraints,
)

PRIORITY_UNMET_WEIGHT = {0: 32.0, 1: 16.0, 2: 8.0, 3: 4.0, 4: 2.0, 5: 1.0}


@dataclass(frozen=True)
class PriceCap:
    """Above `price_above`, use at most `share` of the site's capacity."""

    price_above: float
    share: float


@dataclass(frozen=True)
class V2gWindow:
    """A V2G demand-response event: from `start` to `end` bidirectional EVSEs may discharge,
    and the site's net import should be at most `max_power_kw` (negative: export; None: no
    target, discharge only where it pays otherwise)."""

    start: datetime
    end: datetime
    max_power_kw: float | None = None


@dataclass(frozen=True)
class Horizon:
    start: datetime
    slot: timedelta
    slots: int
    price: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Energy price per kWh per slot (time-of-use)."""
    price_caps: tuple[PriceCap, ...] = ()
    solar_kw: FloatArray = field(default_factory=lambda: np.zeros(0))
    baseload_kw: FloatArray = field(default_factory=lambda: np.zeros(0))
    v2g_windows: tuple[V2gWindow, ...] = ()
    peak_cost: float = 0.01
    completion_tilt: float = DEFAULT_TILT
    """See `completion.completion_weights`; 0: unmet energy weighs by priority alone."""
    early_cost: float = EARLY_COST
    """Per kWh and hour a kWh waits (`schedule.EARLY_COST`): charging as early as the limits
    allow keeps capacity for vehicles not here yet. Where prices are known it is scaled down so
    that waiting the whole horizon costs less than a tenth of the smallest price step: a cheaper
    slot later still wins (`_early_cost`)."""
    fair_cost: float = FAIR_COST
    """Fair shares where nothing else decides (`schedule.FAIR_COST`); 0: none."""

    def instants(self) -> list[datetime]:
        return [self.start + i * self.slot for i in range(self.slots)]

    def index(self, instant: datetime) -> int:
        return int(np.clip(np.ceil((instant - self.start) / self.slot), 0, self.slots))


def fleet_problem(
    snapshot: SiteSnapshot, horizon: Horizon, fixed_kw: FloatArray | None = None
) -> FleetProblem:
    """`fixed_kw` (sessions * slots, NaN: free): power sessions are held at whatever the plan,
    e.g. an offline station's schedule; a held slot counts even outside the session's stay
    (the station keeps drawing it until told otherwise)."""
    instants = horizon.instants()
    hours = _slot_hours(horizon, snapshot.now)
    circuits = {c.id: c for c in snapshot.circuits}
    site_rows = {f"{c.id}:kW" for c in snapshot.circuits if c.parent_id is None}
    constraints = []
    for constraint in compile_constraints(snapshot, horizon.start):
        circuit_id, unit = constraint.name.rsplit(":", 1)
        slot_limits = _limits(circuits[CircuitId(circuit_id)], unit == "kW", instants)
        if constraint.name in site_rows:
            slot_limits = _site_modifiers(slot_limits, horizon)
        constraints.append(
            TimedConstraint(
                constraint.name, constraint.coefficients, slot_limits, constraint.offset
            )
        )
    sessions = snapshot.sessions
    evses = [snapshot.evse(s.evse_id) for s in sessions]
    max_kw = np.array(
        [
            min(e.max_power_kw, s.max_power_kw or np.inf)
            for s, e in zip(sessions, evses, strict=True)
        ]
    )
    # A session plugged in by now is planned from the slot under way: `index` rounds up (an
    # arrival expected later must not be given power before it), which left a session that
    # arrived at 11:51 at 0 kW until 12:00.
    start = np.array(
        [0 if s.arrival <= snapshot.now else horizon.index(s.arrival) for s in sessions],
        dtype=np.int64,
    )
    until = [_until(s) for s in sessions]
    end = np.array([horizon.slots if u is None else horizon.index(u) for u in until])
    share = _last_slot_share(sessions, end, horizon, snapshot.now)
    elapsed = np.concatenate([[0.0], np.cumsum(hours)])
    last_h = hours[np.clip(end - 1, 0, max(horizon.slots - 1, 0))] if horizon.slots else 0.0
    stay_h = elapsed[end] - elapsed[start] - np.where(end > start, (1 - share) * last_h, 0.0)
    stay_kwh = max_kw * np.maximum(stay_h, 0.0)
    fixed = np.zeros((0, 0)) if fixed_kw is None else np.asarray(fixed_kw, dtype=np.float64)
    if fixed.size:
        start, end = _stay_with_held(start, end, ~np.isnan(fixed))
    need = np.array(
        [
            stay if s.energy_needed_kwh is None else s.energy_needed_kwh
            for s, stay in zip(sessions, stay_kwh, strict=True)
        ]
    )
    v2g = np.zeros(horizon.slots, dtype=bool)
    for window in horizon.v2g_windows:
        v2g[_span(window, horizon, snapshot.now)] = True
    target = _import_target(horizon, snapshot.now)
    return FleetProblem(
        slot_hours=hours,
        start_slot=start.astype(np.int64),
        end_slot=np.maximum(end, start).astype(np.int64),
        max_power_kw=max_kw,
        energy_kwh=need,
        constraints=tuple(constraints),
        price=horizon.price,
        weight=_weights(sessions, need, start, horizon.completion_tilt),
        fair_cost=horizon.fair_cost,
        discharge_kw=np.array(
            [m if e.bidirectional else 0.0 for m, e in zip(max_kw, evses, strict=True)]
        ),
        v2g_slots=v2g,
        import_target_kw=target,
        import_excess_cost=IMPORT_EXCESS_COST,
        last_slot_present=share,
        presence=_presence(sessions, horizon, snapshot.now),
        peak_cost=horizon.peak_cost,
        early_cost=_early_cost(horizon),
        fixed_kw=fixed,
    )


def schedule(
    snapshot: SiteSnapshot, horizon: Horizon, fixed_kw: FloatArray | None = None
) -> FleetSchedule:
    return solve(fleet_problem(snapshot, horizon, fixed_kw))


def _span(window: V2gWindow, horizon: Horizon, now: datetime) -> slice:
    """The slots of a V2G window: from the slot under way if it has begun by now (as a session
    plugged in by now), else from the first slot starting in it."""
    first = 0 if window.start <= now else horizon.index(window.start)
    return slice(first, horizon.index(window.end))


def _import_target(horizon: Horizon, now: datetime) -> FloatArray:
    """What the sessions may draw together in each slot for the site's net import to meet the
    V2G events' targets (the lowest where events overlap): the target less the baseload, plus
    the solar production (NaN: no target)."""
    target = np.full(horizon.slots, np.nan)
    for window in horizon.v2g_windows:
        if window.max_power_kw is None:
            continue
        span = _span(window, horizon, now)
        target[span] = np.fmin(target[span], window.max_power_kw)
    if len(horizon.baseload_kw):
        target -= horizon.baseload_kw[: horizon.slots]
    if len(horizon.solar_kw):
        target += horizon.solar_kw[: horizon.slots]
    return target


def _early_cost(horizon: Horizon) -> float:
    """The early preference, below any price difference of the horizon."""
    prices = np.unique(np.asarray(horizon.price[: horizon.slots], dtype=np.float64))
    if len(prices) < 2:
        return horizon.early_cost
    step = float(np.min(np.diff(prices)))
    hours = horizon.slots * horizon.slot.total_seconds() / 3600.0
    return min(horizon.early_cost, 0.1 * step / hours)


def _last_slot_share(
    sessions: tuple[Session, ...], end: IntArray, horizon: Horizon, now: datetime
) -> FloatArray:
    """The share of its last slot each session is still plugged in (the slot under way: of what
    is left of it). A whole last slot promised up to 15 minutes of power after the vehicle left:
    planned to finish then, it left short."""
    share = np.ones(len(sessions))
    for i, s in enumerate(sessions):
        until = _until(s)
        if until is None or end[i] <= 0 or end[i] > horizon.slots:
            continue
        begins = max(horizon.start + (int(end[i]) - 1) * horizon.slot, now)
        ends = horizon.start + int(end[i]) * horizon.slot
        if ends > begins:
            share[i] = float(np.clip((until - begins) / (ends - begins), 0.0, 1.0))
    return share


def _until(session: Session) -> datetime | None:
    """When the session is planned to: the latest of a spread of departures plus the blur
    (the driver is surely gone by then: `departures.presence` is 0 from there), else its
    departure (None: the horizon's end)."""
    if session.departures:
        return max(session.departures) + BLUR
    return session.departure


def _presence(sessions: tuple[Session, ...], horizon: Horizon, now: datetime) -> FloatArray:
    """Per session and slot, the chance the session is still plugged in
    (`schedule.FleetProblem.presence`): `departures.presence` over the horizon's slots for a
    session with a spread of departures, 1 for the others; empty when none has a spread (the
    LP is then exactly the one without). In the slot under way only what is left of it counts
    (`_slot_hours`): the driver is there until now, so the share of the slot already past is
    taken out of the slot's expected share."""
    if not any(s.departures for s in sessions):
        return np.zeros((0, 0))
    result = np.ones((len(sessions), horizon.slots))
    past = 0.0
    if horizon.slots and horizon.start <= now < horizon.start + horizon.slot:
        past = min((now - horizon.start) / horizon.slot, 1.0 - 1e-3)
    for i, s in enumerate(sessions):
        if not s.departures:
            continue
        chance = presence(s.departures, horizon.start, horizon.slot, horizon.slots)
        if horizon.slots:
            chance[0] = (chance[0] - past) / (1.0 - past)
        result[i] = np.clip(chance, 0.0, 1.0)
    return result


def _slot_hours(horizon: Horizon, now: datetime) -> FloatArray:
    """Each slot's length in hours; the slot under way counts only what is left of it.

    Counting it whole promised energy that can no longer be drawn: a session planned to finish
    in the slot under way was given the power to do so over 15 minutes of which only a few were
    left, and re-planned a little short at every step, it never finished.
    """
    hours = np.full(horizon.slots, horizon.slot.total_seconds() / 3600.0)
    if horizon.slots and horizon.start <= now < horizon.start + horizon.slot:
        left = (horizon.start + horizon.slot - now) / horizon.slot
        hours[0] *= max(left, 1e-3)
    return hours


def _weights(
    sessions: tuple[Session, ...], need: FloatArray, start: IntArray, tilt: float
) -> FloatArray:
    """Each session's priority weight, those plugged in now tilted by what they still need.

    A session whose need is unknown is not tilted (as one far from done): its "need" is only
    what its EVSE could give over its stay, and tilting on that made a 7.4 kW session's
    shortfall cost more than an 11 kW one's, which then got nothing.
    """
    weight = np.array([PRIORITY_UNMET_WEIGHT[s.priority] for s in sessions], dtype=np.float64)
    present = start == 0
    known = np.array([s.energy_needed_kwh is not None for s in sessions], dtype=bool)
    tilted = present & known
    weight[tilted] *= completion_weights(need[tilted], tilt)
    return weight


def _stay_with_held(
    start: IntArray, end: IntArray, held: npt.NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """Each session's slots widened to cover the slots it is held in."""
    slots = held.shape[1]
    any_held = held.any(axis=1)
    first = np.where(any_held, held.argmax(axis=1), slots)
    after_last = np.where(any_held, slots - held[:, ::-1].argmax(axis=1), 0)
    return np.minimum(start, first), np.maximum(end, after_last)


def _limits(circuit: Circuit, in_kw: bool, instants: list[datetime]) -> FloatArray:
    """The circuit's limit at the start of each slot (capacity windows applied)."""
    limit = circuit.power_limit if in_kw else circuit.current_limit
    return np.array([limit(at) or 0.0 for at in instants], dtype=np.float64)


def _site_modifiers(limits: FloatArray, horizon: Horizon) -> FloatArray:
    result = limits.copy()
    if len(horizon.solar_kw):
        result += horizon.solar_kw[: horizon.slots]
    if len(horizon.baseload_kw):
        result -= horizon.baseload_kw[: horizon.slots]
    if len(horizon.price):
        for cap in horizon.price_caps:
            expensive = horizon.price[: horizon.slots] > cap.price_above
            result[expensive] = np.minimum(result[expensive], cap.share * limits[expensive])
    return np.maximum(result, 0.0)
