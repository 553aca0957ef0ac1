"""Fleet schedules: one linear program over a horizon of slots, solved with HiGHS.

Decision variables are each session's power in each slot it is plugged in (its charging,
0 or more), its discharge in V2G slots of a bidirectional EVSE (a second column, 0 or more: the
session's planned power is the difference), each session's unmet energy, and the horizon's
peak.  The circuits' limits bound the charging columns alone: a planned discharge frees nothing
for the others, so the plan stays within every circuit if a vehicle does not discharge as told
(its station then draws nothing). The site's net import (a V2G target, the peak) and the energy
balance count the discharge.  The objective is lexicographic by weights:

1. on-time departure: unmet energy costs `unmet_cost` per kWh (times the session's weight), far
   above any price; where a departure is uncertain (`presence`), a kWh planned in a slot the
   driver may have left by costs that share of a kWh unmet;
2. a V2G event's target for the site's import: each kWh the sessions draw above it costs
   `import_excess_cost` (`IMPORT_EXCESS_COST`), below a kWh unmet, so sessions discharge to
   meet it only as far as their departures allow;
3. the peak (`peak_cost` per kW) and the energy bill (price per kWh per slot);
4. a small reward for charging early (`early_cost` per kWh for each hour it waits, counted to
   the middle of its slot), which online control uses to keep capacity free for vehicles that
   have not arrived yet.  Per hour, not per slot rank: a plan stretched by one vehicle staying
   overnight must not make every other vehicle's delay cheaper;
5. fair shares (`fair_cost`, far below the rest): where a limit binds in a slot, a *level*
   bounds the power of every session under it there, and each level costs a little.  Where the
   costs above leave the LP indifferent as to who gets a limit's power (no energy needs known,
   equal needs and priorities), a vertex of the LP gives all of it to one session and nothing to
   the others; minimizing the levels (the most any session gets) splits it evenly instead, each
   session capped by its own maximum (the water-filling of load sharing).  Where the sessions
   differ (needs, priorities, prices) the costs above decide as before.

Limits are the line constraints of the electrical model with one limit per slot; a phasor limit
(A on one line of a three-phase circuit with single-phase loads across phases) is the inscribed
polygon of `polygon_faces` faces, so a feasible LP point is feasible on the copper.  A plan
pushes against few of a polygon's faces in any slot, so faces enter the LP only where a solution
crosses them (`_Faces`, a cutting-plane loop warm-started in HiGHS): the optimum is that of the
LP with every face, from an LP a fraction of its size.

This module builds arrays and calls HiGHS; it reads no clock and does no I/O.
"""

import time
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import numpy.typing as npt

from chargeyard.smart_charging.electrical import ComplexArray, FloatArray, linearize

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TimedConstraint:
    """|coefficients · p_t + offset| ≤ limits[t] in every slot t."""

    name: str
    coefficients: ComplexArray
    limits: FloatArray
    offset: complex = 0j


@dataclass(frozen=True)
class FleetProblem:
    """Sessions i = 0..n-1 over slots t = 0..T-1 (slot t lasts slot_hours[t])."""

    slot_hours: FloatArray
    start_slot: IntArray
    """First slot the session is plugged in."""
    end_slot: IntArray
    """Slot it leaves (exclusive): its departure."""
    max_power_kw: FloatArray
    energy_kwh: FloatArray
    """Energy to deliver by departure."""
    constraints: tuple[TimedConstraint, ...]
    price: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Energy price per kWh in each slot (empty: free)."""
    weight: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Importance of each session's on-time departure (empty: all 1)."""
    discharge_kw: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Most a session may discharge in V2G slots (empty: none)."""
    v2g_slots: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    import_target_kw: FloatArray = field(default_factory=lambda: np.zeros(0))
    """The most the sessions together should draw in each slot (a V2G event's target for the
    site's net import, less what the rest of the site draws; negative: they should give back;
    NaN or empty: no target). Soft: each kWh above costs `import_excess_cost`, less than one
    unmet, so discharge is planned only from sessions that can still make their departure."""
    last_slot_share: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Share of its last slot a session is still plugged in (coarse slots; empty: all 1): its
    power there is an average over the slot, bounded by that share of its maximum."""
    last_slot_present: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Share of its last slot a session is still plugged in, its power there being what it
    draws while plugged in (empty: all 1): the slot gives that share of its energy. The limits
    see that power over the whole slot, so a plan never counts on what a leaving vehicle frees;
    the station gets a limit the vehicle can use before it leaves (an average over the slot,
    `last_slot_share`'s reading, left a vehicle leaving mid-slot short)."""
    fixed_kw: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    """Power a session is held at in a slot, whatever the plan (sessions * slots; NaN: free;
    empty: all free): a station that cannot be reached keeps drawing what it was given. Only
    slots the session is plugged in count. The limits give the free sessions what the held
    ones leave (none where those alone pass it), and a held session's energy beyond its need
    is not unmet-negative: its need is raised to what it is held at."""
    presence: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    """Chance a session is still plugged in, per slot (sessions * slots, the expected share of
    the slot; empty: all 1), when its departure is uncertain (`departures.presence`): a kWh
    planned in a slot is delivered with that chance, so the rest of it costs as unmet
    (`unmet_cost` times the session's weight times 1 - presence). The plan then charges first
    the sessions likely to leave soon, and still plans energy up to the latest departure where
    nothing likelier is left to charge."""
    unmet_cost: float = 1000.0
    peak_cost: float = 0.0
    early_cost: float = 0.0
    import_excess_cost: float = 0.0
    """Per kWh drawn above `import_target_kw` (`IMPORT_EXCESS_COST`)."""
    fair_cost: float = 0.0
    """Per kW of a binding limit's level and hour (`FAIR_COST`; 0: no fair shares, the LP may
    give a limit's power to any of the sessions it leaves indifferent)."""
    polygon_faces: int = 24

    @property
    def sessions(self) -> int:
        return len(self.start_slot)

    @property
    def slots(self) -> int:
        return len(self.slot_hours)


@dataclass(frozen=True)
class FleetSchedule:
    power_kw: FloatArray
    """Sessions * slots."""
    unmet_kwh: FloatArray
    peak_kw: float
    status: str
    solve_seconds: float

    @property
    def ok(self) -> bool:
        return self.status == "Optimal"


EARLY_COST = 20.0
"""The early preference online control (`online.OnlinePolicy`) and the server's plans
(`horizon.Horizon`) share: per kWh and hour of waiting, so a kWh put off a day (480) still costs
less than one unmet (`unmet_cost`). Tuned on the Caltech replay (benchmarks/acn.py); on the
server's own step (benchmarks/controller_step.py, 52 EVSEs) it raised the sessions fully served
from 56 to 60 of 60 at 100 kW and the energy delivered from 71 to 80 % at 60 kW."""

FAIR_COST = 1e-4
"""The fair-share preference (`FleetProblem.fair_cost`) the server's plans and online control
share: per kW of a level, session under it and hour. A kW of level over 10 sessions in a
15-minute slot costs 2.5e-4, far below a kWh unmet (1000), the early preference for a slot's
delay (1.25 per kW) and a cent's price step over that slot (0.0025 per kW): a tie-break, not a
trade-off (`test_fair_shares_cost_nothing_the_other_objectives_count`).
(Where prices are known the early preference is scaled below a tenth of their smallest step and
can fall below it; then a fair split within a slot is preferred to charging a little earlier.)"""

IMPORT_EXCESS_COST = 500.0
"""Per kWh the sessions draw above a V2G event's import target: far above prices and the
early preference for a slot's delay (charging a kWh a day later costs 480), below a kWh unmet
(1000 at the lowest weight), so a session gives back only what it can recharge by departure."""

MAX_FACE_ROUNDS = 30
"""Rounds of adding crossed faces; each is a short warm-started dual simplex. Reached only if
a plan kept crossing new faces, and then the remaining faces all enter for a last solve."""


def solve(problem: FleetProblem) -> FleetSchedule:
    started = time.perf_counter()
    lp, columns, faces = _build(problem)
    k = len(columns.discharge)
    highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy's stub leaves __init__ bare
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("presolve", "off")  # faster on these sparse, well-scaled LPs
    highs.passModel(lp)
    m = len(columns.session)
    # Start from the faces every column at its upper bound would cross most: the first plan
    # without them would cross those (a round saved, and the re-solves start nearer).
    faces.add_crossed(highs, np.asarray(lp.col_upper_)[:m])
    highs.run()
    for round_ in range(MAX_FACE_ROUNDS + 1):
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        power = np.asarray(highs.getSolution().col_value, dtype=np.float64)[:m]
        if not faces.add_crossed(highs, power, every=round_ == MAX_FACE_ROUNDS):
            break
        highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    n, slots = problem.sessions, problem.slots
    first = m + k  # columns before: charging, then discharging
    power = np.zeros((n, slots))
    unmet = problem.energy_kwh.astype(np.float64).copy()
    peak = 0.0
    if len(values) == lp.num_col_:
        # HiGHS meets bounds within its feasibility tolerance (1e-7): a column bounded below by 0
        # can come back as -1e-9. A schedule never leaves its bounds, so clip to them exactly.
        values = np.clip(values, np.asarray(lp.col_lower_), np.asarray(lp.col_upper_))
        power[columns.session, columns.slot] = values[:m]
        given = columns.discharge
        power[columns.session[given], columns.slot[given]] -= values[m:first]
        unmet = values[first : first + n]
        peak = float(values[first + n])
    return FleetSchedule(power, unmet, peak, status, time.perf_counter() - started)


@dataclass(frozen=True)
class _Columns:
    """The charging columns' session and slot; `discharge`: the charging columns (of V2G
    slots) that have a discharging column too, in the order of those columns."""

    session: IntArray
    slot: IntArray
    discharge: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class _Faces:
    """The faces of phasor polygons not yet in the LP: face f bounds slot t by
    Σ coefs[f, c] p_c ≤ rhs[f, t] over the columns c of slot t.

    Faces of one constraint (`group`) are cut in together: per constraint and slot, only the
    face a solution crosses most, so a round adds at most a row per constraint and slot; the
    others are checked again after the re-solve.  A (face, slot) that no plan can cross (every
    column at its worst bound fits) is never a candidate.
    """

    coefs: FloatArray
    """faces * columns (held columns 0)."""
    per_session: FloatArray
    """faces * sessions: the same faces, to project a whole plan at once."""
    rhs: FloatArray
    group: IntArray
    columns: _Columns
    free: npt.NDArray[np.bool_]
    """columns: not held."""
    candidate: npt.NDArray[np.bool_]
    """faces * slots: may be crossed and not in the LP yet."""
    by_slot: IntArray = field(init=False)
    """Column indices ordered by slot; slot t's are by_slot[slot_start[t]:slot_start[t + 1]]."""
    slot_start: IntArray = field(init=False)

    def __post_init__(self) -> None:
        self.by_slot = np.argsort(self.columns.slot, kind="stable").astype(np.int64)
        self.slot_start = np.searchsorted(
            self.columns.slot[self.by_slot], np.arange(self.rhs.shape[1] + 1)
        ).astype(np.int64)

    def add_crossed(self, highs: highspy.Highs, power: FloatArray, every: bool = False) -> bool:
        """Add the faces `power` crosses (with `every`: all candidates); False if none."""
        if not self.candidate.any():
            return False
        if every:
            pairs = np.argwhere(self.candidate)
        else:
            plan = np.zeros((self.per_session.shape[1], self.rhs.shape[1]))
            plan[self.columns.session, self.columns.slot] = np.where(self.free, power, 0.0)
            load = np.einsum("fn,nt->ft", self.per_session, plan)  # no BLAS threads
            excess = np.where(self.candidate, load - self.rhs, 0.0)
            crossed = excess > 1e-7 * np.maximum(1.0, np.abs(self.rhs))
            if not crossed.any():
                return False
            pairs = _worst_per_group(excess, crossed, self.group)
        self.candidate[pairs[:, 0], pairs[:, 1]] = False
        self._add(highs, pairs)
        return True

    def _add(self, highs: highspy.Highs, pairs: IntArray) -> None:
        starts, index, values = [], [], []
        count = 0
        for face, slot in pairs:
            in_slot = self.by_slot[self.slot_start[slot] : self.slot_start[slot + 1]]
            cols = in_slot[np.abs(self.coefs[face, in_slot]) > 1e-12]
            starts.append(count)
            index.append(cols)
            values.append(self.coefs[face, cols])
            count += len(cols)
        upper = self.rhs[pairs[:, 0], pairs[:, 1]]
        highs.addRows(
            len(pairs),
            np.full(len(pairs), -np.inf),
            upper.astype(np.float64),
            count,
            np.array(starts, dtype=np.int32),
            np.concatenate(index).astype(np.int32),
            np.concatenate(values).astype(np.float64),
        )


def _per_slot(values: FloatArray, slot: IntArray, slots: int) -> FloatArray:
    """Rows * columns summed per slot of each column: rows * slots."""
    rows = values.shape[0]
    index = (slot[None, :] + slots * np.arange(rows)[:, None]).ravel()
    sums = np.bincount(index, values.ravel(), rows * slots).astype(np.float64)
    return sums.reshape(rows, slots)


def _worst_per_group(
    excess: FloatArray, crossed: npt.NDArray[np.bool_], group: IntArray
) -> IntArray:
    """(face, slot) pairs: in each slot, each group's most crossed face. (Adding its
    neighbours too, where the plan slides next, made steps slower on the depot replay.)"""
    pairs = []
    for g in np.unique(group):
        faces = np.flatnonzero(group == g)
        block = np.where(crossed[faces], excess[faces], -np.inf)
        worst = block.argmax(axis=0)
        slots = np.flatnonzero(np.isfinite(block[worst, np.arange(block.shape[1])]))
        pairs.append(np.column_stack([faces[worst[slots]], slots]))
    return np.concatenate(pairs).astype(np.int64)


def _columns(problem: FleetProblem) -> _Columns:
    lengths = np.maximum(problem.end_slot - problem.start_slot, 0)
    session = np.repeat(np.arange(problem.sessions), lengths)
    first = np.repeat(problem.start_slot, lengths)
    offsets = np.arange(len(session)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return _Columns(session.astype(np.int64), (first + offsets).astype(np.int64))


class _Rows:
    """Triplets and bounds of the constraint matrix, appended block by block."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.values: list[FloatArray] = []
        self.lower: list[FloatArray] = []
        self.upper: list[FloatArray] = []
        self.count = 0

    def add(self, rows: IntArray, cols: IntArray, values: FloatArray) -> None:
        """Entries of the block being built (rows relative to its first row)."""
        self.rows.append(self.count + rows)
        self.cols.append(cols)
        self.values.append(values)

    def close(self, lower: FloatArray, upper: FloatArray) -> None:
        self.lower.append(lower)
        self.upper.append(upper)
        self.count += len(lower)


def _build(problem: FleetProblem) -> tuple[highspy.HighsLp, _Columns, _Faces]:
    """Columns: p (charging, one per session and plugged-in slot), q (discharging, one per
    free V2G column of p), unmet (n), peak (1), fair-share levels, import excess (one per slot
    with a V2G target). Rows: energy balance, real line limits (p only), fair-share levels,
    import targets and the peak (p - q); polygon faces are left to `_Faces`."""
    cols = _columns(problem)
    n, slots, m = problem.sessions, problem.slots, len(cols.session)
    hours = problem.slot_hours[cols.slot]
    if len(problem.last_slot_present):
        last = cols.slot == (problem.end_slot[cols.session] - 1)
        hours = np.where(last, hours * problem.last_slot_present[cols.session], hours)
    v2g = _v2g_mask(problem, cols)
    p_lower = np.zeros(m)
    p_upper = problem.max_power_kw[cols.session].astype(np.float64)
    if len(problem.last_slot_share):
        last = cols.slot == (problem.end_slot[cols.session] - 1)
        p_upper = np.where(last, p_upper * problem.last_slot_share[cols.session], p_upper)
    fixed = _fixed(problem, cols)
    held = ~np.isnan(fixed)
    p_lower = np.where(held, fixed, p_lower)
    p_upper = np.where(held, fixed, p_upper)
    cols = replace(cols, discharge=np.flatnonzero(v2g & ~held).astype(np.int64))
    given = cols.discharge
    k = len(given)
    q_upper = _discharge(problem)[cols.session[given]]
    first = m + k  # unmet, peak, levels and excess columns from here
    need = _need(problem, cols, np.where(held, fixed * hours, 0.0))
    rows = _Rows()
    # Energy balance: charged - discharged + unmet = need.
    rows.add(cols.session, np.arange(m), hours)
    rows.add(cols.session[given], m + np.arange(k), -hours[given])
    rows.add(np.arange(n), first + np.arange(n), np.ones(n))
    rows.close(need, need)
    faces, rhs, group = _faces(problem)
    coefs = faces[:, cols.session]
    # Held columns are a fixed load: the free ones share what is left (nothing, if none is).
    # A held discharge (a station out of reach, last told to discharge) frees nothing either.
    imported = np.maximum(fixed[held], 0.0)
    load = _per_slot(coefs[:, held] * imported, cols.slot[held], slots)
    rhs = np.maximum(rhs - load, 0.0)
    coefs = np.where(held, 0.0, coefs)
    # A slot where every column at its worst bound fits needs no row.
    worst = np.where(coefs > 0, coefs * p_upper, coefs * p_lower)
    binding = _per_slot(worst, cols.slot, slots) > rhs + 1e-9
    in_group = np.bincount(group, minlength=len(problem.constraints))[group]
    lazy = in_group > 1  # a polygon's faces
    for f in np.flatnonzero(np.any(binding, axis=1) & ~lazy):
        keep = (np.abs(coefs[f]) > 1e-12) & binding[f, cols.slot]
        used = np.flatnonzero(binding[f])
        row_of_slot = np.zeros(slots, dtype=np.int64)
        row_of_slot[used] = np.arange(len(used))
        rows.add(row_of_slot[cols.slot[keep]], np.flatnonzero(keep), coefs[f, keep])
        rows.close(np.full(len(used), -np.inf), rhs[f, used])
    level_slot, level_size = _levels(
        rows, first + n + 1, coefs, group, binding, cols, ~held, problem
    )
    if problem.peak_cost > 0:  # Σ p - Σ q - peak ≤ 0 in every slot
        rows.add(cols.slot, np.arange(m), np.ones(m))
        rows.add(cols.slot[given], m + np.arange(k), -np.ones(k))
        rows.add(np.arange(slots), np.full(slots, first + n), -np.ones(slots))
        rows.close(np.full(slots, -np.inf), np.zeros(slots))
    price = problem.price[cols.slot] if len(problem.price) else np.zeros(m)
    waited = np.cumsum(problem.slot_hours) - problem.slot_hours / 2  # hours to each slot's middle
    early = problem.early_cost * waited[cols.slot]
    per_kwh = price + _no_early_arbitrage(early, v2g, cols, n)
    levels = len(level_slot)
    target_slots = _import_target(rows, problem, cols, held, fixed, first + n + 1 + levels)
    weight = problem.weight if len(problem.weight) else np.ones(n)
    risk = np.zeros(m)
    if problem.presence.size:
        gone = 1.0 - problem.presence[cols.session, cols.slot]
        risk = problem.unmet_cost * weight[cols.session] * np.clip(gone, 0.0, 1.0)
    cost = [
        (per_kwh + risk) * hours,
        -per_kwh[given] * hours[given],
        problem.unmet_cost * weight,
        np.array([problem.peak_cost]),
        problem.fair_cost * problem.slot_hours[level_slot] * level_size,
        problem.import_excess_cost * problem.slot_hours[target_slots],
    ]
    excess = len(target_slots)
    lp = _assemble(
        n_cols=first + n + 1 + levels + excess,
        rows=np.concatenate(rows.rows),
        cols=np.concatenate(rows.cols),
        values=np.concatenate(rows.values),
        bounds=(
            np.concatenate([p_lower, np.zeros(k), np.zeros(n), [0.0], np.zeros(levels + excess)]),
            np.concatenate([p_upper, q_upper, need, [np.inf], np.full(levels + excess, np.inf)]),
            np.concatenate(cost),
            np.concatenate(rows.lower),
            np.concatenate(rows.upper),
        ),
    )
    later = _Faces(coefs[lazy], faces[lazy], rhs[lazy], group[lazy], cols, ~held, binding[lazy])
    return lp, cols, later


def _no_early_arbitrage(
    early: FloatArray, v2g: npt.NDArray[np.bool_], cols: _Columns, n: int
) -> FloatArray:
    """Each column's early preference, a V2G column's lowered to its session's least: else a
    kWh given back late "earns" more early preference than recharging it sooner costs, and the
    plan would cycle batteries for nothing. Discharge is planned for prices and a V2G event's
    import target only."""
    if not np.any(v2g):
        return early
    least = np.full(n, np.inf)
    np.minimum.at(least, cols.session, early)
    return np.where(v2g, least[cols.session], early)


def _import_target(
    rows: _Rows,
    problem: FleetProblem,
    cols: _Columns,
    held: npt.NDArray[np.bool_],
    fixed: FloatArray,
    first: int,
) -> IntArray:
    """Rows Σ p_t - Σ q_t - excess_t ≤ target_t for the slots with an import target (excess
    columns from `first`, one per such slot; held columns count as the fixed load they are,
    a held discharge too: this is the site's net import, not a circuit's limit). Returns
    those slots."""
    slots = problem.slots
    target = np.full(slots, np.nan)
    if len(problem.import_target_kw):
        target[:] = problem.import_target_kw[:slots]
    used = np.flatnonzero(~np.isnan(target))
    if not len(used) or problem.import_excess_cost <= 0:
        return np.zeros(0, dtype=np.int64)
    load = _per_slot(np.where(held, fixed, 0.0)[None, :], cols.slot, slots)[0]
    row_of_slot = np.full(slots, -1, dtype=np.int64)
    row_of_slot[used] = np.arange(len(used))
    free = np.flatnonzero(~held & (row_of_slot[cols.slot] >= 0))
    rows.add(row_of_slot[cols.slot[free]], free, np.ones(len(free)))
    m, given = len(cols.session), cols.discharge
    counted = np.flatnonzero(row_of_slot[cols.slot[given]] >= 0)
    rows.add(row_of_slot[cols.slot[given[counted]]], m + counted, -np.ones(len(counted)))
    rows.add(np.arange(len(used)), first + np.arange(len(used)), -np.ones(len(used)))
    rows.close(np.full(len(used), -np.inf), target[used] - load[used])
    return used.astype(np.int64)


def _levels(
    rows: _Rows,
    first: int,
    coefs: FloatArray,
    group: IntArray,
    binding: npt.NDArray[np.bool_],
    cols: _Columns,
    free: npt.NDArray[np.bool_],
    problem: FleetProblem,
) -> tuple[IntArray, FloatArray]:
    """Fair-share rows p_c - L ≤ 0: one level L (columns from `first`) per constraint, slot and
    weight where the constraint binds with two free sessions or more of that weight under it
    (sessions plugged in now: `start_slot` 0),
    bounding each of them. Sessions of different weights (priority, completion) are told apart
    by the costs already; one level over them all would sit at the favoured session's power and
    leave the others under it any split. Returns each
    level's slot and the sessions under it (its cost is per session: none without `fair_cost`).

    A level per constraint, not one per slot: under a site limit, a sub-circuit that binds
    shares its own power evenly, and the site's sessions outside it share the rest. Costed per
    session under it: with one cost per level, a sub-circuit's sessions at 0 and the others at
    the site's level cost the same as the fair split (the site's level rises by what the
    sub-circuit's falls).
    """
    slots = problem.slots
    found: list[IntArray] = []
    sizes: list[IntArray] = []
    count = 0
    if problem.fair_cost <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    weight = problem.weight if len(problem.weight) else np.ones(problem.sessions)
    _, alike = np.unique(np.round(weight, 9), return_inverse=True)
    # Only sessions plugged in now: expected arrivals (online control's forecast) are not
    # drivers waiting, and levels over them tripled the benchmark's step for nothing.
    free = free & (problem.start_slot[cols.session] == 0)
    for k in range(len(problem.constraints)):
        mine = group == k
        under = free & np.any(np.abs(coefs[mine]) > 1e-12, axis=0)
        under &= np.any(binding[mine], axis=0)[cols.slot]
        for kind in np.unique(alike[cols.session[under]]):
            members = under & (alike[cols.session] == kind)
            crowded = np.bincount(cols.slot[members], minlength=slots) >= 2
            kept = np.flatnonzero(members & crowded[cols.slot])
            if not len(kept):
                continue
            used = np.flatnonzero(crowded)
            level_of_slot = np.zeros(slots, dtype=np.int64)
            level_of_slot[used] = first + count + np.arange(len(used))
            row = np.arange(len(kept))
            rows.add(row, kept, np.ones(len(kept)))
            rows.add(row, level_of_slot[cols.slot[kept]], -np.ones(len(kept)))
            rows.close(np.full(len(kept), -np.inf), np.zeros(len(kept)))
            found.append(used)
            sizes.append(np.bincount(cols.slot[kept], minlength=slots)[used])
            count += len(used)
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(found).astype(np.int64), np.concatenate(sizes).astype(np.float64)


def _faces(problem: FleetProblem) -> tuple[FloatArray, FloatArray, IntArray]:
    """Every constraint's linear faces (F * sessions), right-hand sides (F * slots) and the
    constraint each face belongs to (F). The limits bound charging columns and held imports
    only, never below 0: faces no power can push against are dropped."""
    faces, rhs, group = [], [], []
    for k, c in enumerate(problem.constraints):
        rows, scale, offsets = linearize(c.coefficients, c.offset, problem.polygon_faces)
        faces.append(rows)
        rhs.append(np.maximum(scale * c.limits[None, :] - offsets[:, None], 0.0))
        group.append(np.full(len(rows), k, dtype=np.int64))
    if not faces:
        return (
            np.zeros((0, problem.sessions)),
            np.zeros((0, problem.slots)),
            np.zeros(0, dtype=np.int64),
        )
    return np.concatenate(faces), np.concatenate(rhs), np.concatenate(group)


def _fixed(problem: FleetProblem, cols: _Columns) -> FloatArray:
    """Each column's held power (NaN: free)."""
    if not problem.fixed_kw.size:
        return np.full(len(cols.session), np.nan)
    return problem.fixed_kw[cols.session, cols.slot].astype(np.float64)


def _need(problem: FleetProblem, cols: _Columns, held_kwh: FloatArray) -> FloatArray:
    """Each session's need, raised to the energy its held slots deliver (else infeasible)."""
    held = np.zeros(problem.sessions)
    np.add.at(held, cols.session, held_kwh)
    return np.maximum(problem.energy_kwh.astype(np.float64), held)


def _v2g_mask(problem: FleetProblem, cols: _Columns) -> npt.NDArray[np.bool_]:
    if not len(problem.v2g_slots) or not len(problem.discharge_kw):
        return np.zeros(len(cols.session), dtype=bool)
    return problem.v2g_slots[cols.slot] & (problem.discharge_kw[cols.session] > 0)


def _discharge(problem: FleetProblem) -> FloatArray:
    if len(problem.discharge_kw):
        return problem.discharge_kw.astype(np.float64)
    return np.zeros(problem.sessions)


def _assemble(
    n_cols: int,
    rows: IntArray,
    cols: IntArray,
    values: FloatArray,
    bounds: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
) -> highspy.HighsLp:
    """A column-wise HiGHS LP from triplets."""
    col_lower, col_upper, cost, row_lower, row_upper = bounds
    order = np.lexsort((rows, cols))
    counts = np.bincount(cols, minlength=n_cols)
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = values[order]
    return lp
