"""Online control: a model-predictive LP re-solved at each control step.

At each step the controller plans every plugged-in session to its (estimated) departure with the
fleet LP, knowing nothing of vehicles yet to arrive, and applies the plan's first slot.  The plan
charges as early as the limits allow (`early_cost`), which keeps capacity free for whoever comes
next; unmet energy still dominates, so a vehicle that must leave soon wins over one that can
wait.  Only the first `fine_periods` slots are one control period long; the rest of the horizon
uses slots `coarse_factor` periods long, which keeps a step fast without changing the first
slot much.  Defaults were tuned on the Caltech ACN replay (benchmarks/acn.py).

Pure: arrays in, powers out.
"""

from dataclasses import dataclass

import numpy as np

from chargeyard.smart_charging.electrical import FloatArray, LineConstraint
from chargeyard.smart_charging.schedule import (
    FleetProblem,
    FleetSchedule,
    IntArray,
    TimedConstraint,
    solve,
)


@dataclass(frozen=True)
class OnlineState:
    """What the controller sees at one step, per plugged-in session."""

    period_hours: float
    remaining_kwh: FloatArray
    periods_left: IntArray
    """Whole control periods before the session's (estimated) departure, at least 1."""
    max_power_kw: FloatArray
    constraints: tuple[LineConstraint, ...]
    price: FloatArray | None = None
    """Price per kWh for each coming period (at least as long as the horizon), or none."""
    arrives_in: IntArray | None = None
    """Periods before each session plugs in: 0 for those plugged in, more for expected arrivals."""
    weight: FloatArray | None = None
    """Value of a kWh to each session (none: all 1); expected arrivals weigh their likelihood."""


@dataclass(frozen=True)
class OnlinePolicy:
    early_cost: float = 10.0
    price_weight: float = 0.0
    peak_cost: float = 0.0
    fine_periods: int = 12
    coarse_factor: int = 6
    polygon_faces: int = 48
    """Faces of the polygon standing in for a phasor limit: 48 gives up at most 0.2 %."""
    max_horizon_periods: int = 288


def slot_lengths(horizon: int, fine: int, factor: int) -> IntArray:
    """Lengths (in periods) of the slots covering `horizon` periods: `fine` single ones first."""
    head = min(horizon, fine)
    tail = horizon - head
    coarse = [factor] * (tail // factor) + ([tail % factor] if tail % factor else [])
    return np.array([1] * head + coarse, dtype=np.int64)


def plan(state: OnlineState, policy: OnlinePolicy = OnlinePolicy()) -> FleetSchedule:
    """The LP plan for the whole horizon (sessions * slots, in slot units)."""
    horizon = int(min(policy.max_horizon_periods, max(1, int(np.max(state.periods_left)))))
    lengths = slot_lengths(horizon, policy.fine_periods, policy.coarse_factor)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    left = np.minimum(state.periods_left, horizon)
    arrives = np.zeros(len(left), dtype=np.int64) if state.arrives_in is None else state.arrives_in
    start_slot = np.minimum(np.searchsorted(starts, arrives, side="left"), len(lengths))
    end_slot = np.maximum(np.searchsorted(ends, left, side="left") + 1, start_slot)
    share = (left - starts[end_slot - 1]) / lengths[end_slot - 1]
    hours = lengths * state.period_hours
    price = np.zeros(len(lengths))
    if state.price is not None and policy.price_weight:
        per_period = state.price[:horizon]
        price = policy.price_weight * np.add.reduceat(per_period, starts) / lengths
    constraints = tuple(
        TimedConstraint(c.name, c.coefficients, np.full(len(lengths), c.limit), c.offset)
        for c in state.constraints
    )
    problem = FleetProblem(
        slot_hours=hours.astype(np.float64),
        start_slot=start_slot.astype(np.int64),
        end_slot=end_slot.astype(np.int64),
        max_power_kw=state.max_power_kw,
        energy_kwh=np.minimum(
            state.remaining_kwh,
            state.max_power_kw
            * np.maximum(left - starts_at(starts, start_slot), 0)
            * state.period_hours,
        ),
        weight=np.zeros(0) if state.weight is None else state.weight,
        constraints=constraints,
        price=price,
        last_slot_share=share.astype(np.float64),
        early_cost=policy.early_cost,
        peak_cost=policy.peak_cost,
        polygon_faces=policy.polygon_faces,
    )
    return solve(problem)


def starts_at(starts: IntArray, slot: IntArray) -> IntArray:
    """The period each slot index starts at (one past the last slot: the horizon's end)."""
    return np.concatenate([starts, [starts[-1] + 10**9]])[slot]


def control_step(state: OnlineState, policy: OnlinePolicy = OnlinePolicy()) -> FloatArray:
    """Power (kW) to apply to each session for the next control period."""
    if len(state.remaining_kwh) == 0:
        return np.zeros(0)
    schedule = plan(state, policy)
    if not schedule.ok:
        return np.zeros(len(state.remaining_kwh))
    first = np.clip(schedule.power_kw[:, 0], 0.0, state.max_power_kw)
    return np.asarray(first, dtype=np.float64)
