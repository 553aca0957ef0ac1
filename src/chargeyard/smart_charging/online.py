"""Online control: a model-predictive LP re-solved at each control step.

At each step the controller plans every plugged-in session to its (estimated) departure with the
fleet LP, knowing nothing of vehicles yet to arrive, and applies the plan's first slot.  The plan
charges as early as the limits allow (`early_cost`), which keeps capacity free for whoever comes
next; unmet energy still dominates, so a vehicle that must leave soon wins over one that can
wait.  When not everyone can be served, the shortfall is settled on the sessions that still
need most (`completion.completion_weights`, the rule the server's `fleet` plan uses too), so
the others leave fully charged.  Only the first `fine_periods` slots are one control period
long; the rest of the horizon uses slots `coarse_factor` periods long, which keeps a step fast
without changing the first slot much.  Defaults were tuned on the Caltech ACN replay (benchmarks/acn.py).

Sessions may also be *expected*: not plugged in yet (`arrives_in` > 0), typically from
`forecast.ArrivalForecast`, with a weight below 1.  They compete for the capacity of the slots
after their arrival, so the plan stops counting on capacity that later arrivals will want; they
get no power in the first slot.  Alike expected sessions are merged before the LP is built.

Pure: arrays in, powers out.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chargeyard.smart_charging.completion import DEFAULT_TILT, completion_weights
from chargeyard.smart_charging.electrical import ComplexArray, FloatArray, LineConstraint
from chargeyard.smart_charging.schedule import (
    EARLY_COST,
    FAIR_COST,
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
    presence: FloatArray | None = None
    """Per session and coming period, the chance it is still plugged in (sessions * periods;
    none: certain until `periods_left`), when its departure is uncertain
    (`departures.presence`); `periods_left` is then its latest departure. The LP counts a
    kWh planned in a period at that chance (`schedule.FleetProblem.presence`). Expected
    arrivals' rows are not read (their weight says how likely they are)."""


@dataclass(frozen=True)
class OnlinePolicy:
    early_cost: float = EARLY_COST
    """Per kWh and hour of waiting (`schedule.EARLY_COST`, which the server's plans share)."""
    fair_cost: float = FAIR_COST
    """Fair shares where nothing else decides (`schedule.FAIR_COST`, shared too)."""
    price_weight: float = 0.0
    peak_cost: float = 0.0
    fine_periods: int = 12
    coarse_factor: int = 6
    polygon_faces: int = 48
    """Faces of the polygon standing in for a phasor limit: 48 gives up at most 0.2 %."""
    max_horizon_periods: int = 288
    completion_tilt: float = DEFAULT_TILT
    """See `completion.completion_weights` (the rule the server's `fleet` plan uses too)."""


def slot_lengths(horizon: int, fine: int, factor: int) -> IntArray:
    """Lengths (in periods) of the slots covering `horizon` periods: `fine` single ones first."""
    head = min(horizon, fine)
    tail = horizon - head
    coarse = [factor] * (tail // factor) + ([tail % factor] if tail % factor else [])
    return np.array([1] * head + coarse, dtype=np.int64)


def plan(state: OnlineState, policy: OnlinePolicy = OnlinePolicy()) -> FleetSchedule:
    """The LP plan for the whole horizon (sessions * slots, in slot units).

    Rows are the plugged-in sessions (`arrives_in == 0`) in their order, then the expected
    arrivals merged: those that share a window of slots, a weight and a place in the circuits
    are one column set, which keeps the LP small (the merge is exact but for the share of
    their last slot).
    """
    horizon = int(min(policy.max_horizon_periods, max(1, int(np.max(state.periods_left)))))
    lengths = slot_lengths(horizon, policy.fine_periods, policy.coarse_factor)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    n = len(state.periods_left)
    left = np.minimum(state.periods_left, horizon)
    arrives = np.zeros(n, dtype=np.int64) if state.arrives_in is None else state.arrives_in
    start_slot = np.searchsorted(starts, np.minimum(arrives, horizon), side="left")
    end_slot = np.maximum(np.searchsorted(ends, left, side="left") + 1, start_slot)
    first = np.concatenate([starts, [horizon]])[start_slot]
    share = (left - starts[end_slot - 1]) / lengths[end_slot - 1]
    sessions = _Sessions(
        start_slot,
        end_slot,
        state.max_power_kw.astype(np.float64),
        np.minimum(
            state.remaining_kwh,
            state.max_power_kw * np.maximum(left - first, 0) * state.period_hours,
        ),
        _weights(state, arrives, policy.completion_tilt),
        share.astype(np.float64),
        np.array([c.coefficients for c in state.constraints]).reshape(-1, n),
    ).merged(arrives > 0)
    hours = lengths * state.period_hours
    price = np.zeros(len(lengths))
    if state.price is not None and policy.price_weight:
        per_period = state.price[:horizon]
        price = policy.price_weight * np.add.reduceat(per_period, starts) / lengths
    presence = _slot_presence(
        state.presence, arrives == 0, len(sessions.start_slot), starts, lengths
    )
    constraints = tuple(
        TimedConstraint(c.name, row, np.full(len(lengths), c.limit), c.offset)
        for c, row in zip(state.constraints, sessions.coefficients, strict=True)
    )
    problem = FleetProblem(
        slot_hours=hours.astype(np.float64),
        start_slot=sessions.start_slot.astype(np.int64),
        end_slot=sessions.end_slot.astype(np.int64),
        max_power_kw=sessions.max_power_kw,
        energy_kwh=sessions.energy_kwh,
        weight=sessions.weight,
        constraints=constraints,
        price=price,
        last_slot_share=sessions.share,
        early_cost=policy.early_cost,
        fair_cost=policy.fair_cost,
        peak_cost=policy.peak_cost,
        polygon_faces=policy.polygon_faces,
        presence=presence,
    )
    return solve(problem)


def _slot_presence(
    presence: FloatArray | None,
    plugged_in: npt.NDArray[np.bool_],
    rows: int,
    starts: IntArray,
    lengths: IntArray,
) -> FloatArray:
    """Per LP session and slot, the mean chance over the slot's periods that it is still
    plugged in: the plugged-in sessions' from `presence` (periods past its end: gone), 1 for
    the merged expected ones; empty with no `presence`."""
    if presence is None:
        return np.zeros((0, 0))
    mine = presence[plugged_in]
    periods = int(np.sum(lengths))
    padded = np.zeros((len(mine), periods))
    used = min(periods, mine.shape[1])
    padded[:, :used] = mine[:, :used]
    result = np.ones((rows, len(starts)))
    result[: len(mine)] = np.add.reduceat(padded, starts, axis=1) / lengths
    return result


def _weights(state: OnlineState, arrives: IntArray, tilt: float) -> FloatArray:
    """Each session's weight, the plugged-in ones tilted towards completion."""
    weight = np.ones(len(arrives)) if state.weight is None else state.weight.astype(np.float64)
    present = arrives == 0
    weight[present] = weight[present] * completion_weights(state.remaining_kwh[present], tilt)
    return weight


@dataclass(frozen=True)
class _Sessions:
    """The LP's sessions, arrays aligned; coefficients are constraints * sessions."""

    start_slot: IntArray
    end_slot: IntArray
    max_power_kw: FloatArray
    energy_kwh: FloatArray
    weight: FloatArray
    share: FloatArray
    coefficients: ComplexArray

    def merged(self, expected: npt.NDArray[np.bool_]) -> "_Sessions":
        """Plugged-in sessions as they are, then one session per group of alike expected ones."""
        present = np.flatnonzero(~expected)
        coming = np.flatnonzero(expected & (self.end_slot > self.start_slot))
        keys = np.column_stack(
            [
                self.start_slot[coming],
                self.end_slot[coming],
                self.weight[coming],
                np.round(self.coefficients[:, coming].real.T, 6),
                np.round(self.coefficients[:, coming].imag.T, 6),
            ]
        )
        _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        groups = len(first)
        group = group.reshape(-1)
        power = np.bincount(group, self.max_power_kw[coming], groups)
        shared = np.bincount(group, self.max_power_kw[coming] * self.share[coming], groups)
        head = coming[first]
        return _Sessions(
            np.concatenate([self.start_slot[present], self.start_slot[head]]),
            np.concatenate([self.end_slot[present], self.end_slot[head]]),
            np.concatenate([self.max_power_kw[present], power]),
            np.concatenate(
                [self.energy_kwh[present], np.bincount(group, self.energy_kwh[coming], groups)]
            ),
            np.concatenate([self.weight[present], self.weight[head]]),
            np.concatenate([self.share[present], shared / np.maximum(power, 1e-12)]),
            np.concatenate([self.coefficients[:, present], self.coefficients[:, head]], axis=1),
        )


def control_step(state: OnlineState, policy: OnlinePolicy = OnlinePolicy()) -> FloatArray:
    """Power (kW) to apply to each session for the next control period."""
    if len(state.remaining_kwh) == 0:
        return np.zeros(0)
    schedule = plan(state, policy)
    if not schedule.ok:
        return np.zeros(len(state.remaining_kwh))
    present = np.flatnonzero(
        np.ones(len(state.remaining_kwh), dtype=bool)
        if state.arrives_in is None
        else state.arrives_in == 0
    )
    power = np.zeros(len(state.remaining_kwh))
    power[present] = np.clip(schedule.power_kw[: len(present), 0], 0.0, state.max_power_kw[present])
    return power
