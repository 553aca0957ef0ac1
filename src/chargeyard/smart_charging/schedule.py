"""Fleet schedules: one linear program over a horizon of slots, solved with HiGHS.

Decision variables are each session's power in each slot it is plugged in (negative while it
discharges, in V2G slots of a bidirectional EVSE), each session's unmet energy, and the horizon's
peak.  The objective is lexicographic by weights:

1. on-time departure: unmet energy costs `unmet_cost` per kWh (times the session's weight), far
   above any price;
2. the peak (`peak_cost` per kW) and the energy bill (price per kWh per slot);
3. a small reward for charging early (`early_cost` per kWh for each hour it waits, counted to
   the middle of its slot), which online control uses to keep capacity free for vehicles that
   have not arrived yet.  Per hour, not per slot rank: a plan stretched by one vehicle staying
   overnight must not make every other vehicle's delay cheaper.

Limits are the line constraints of the electrical model with one limit per slot; a phasor limit
(A on one line of a three-phase circuit with single-phase loads across phases) is the inscribed
polygon of `polygon_faces` faces, so a feasible LP point is feasible on the copper.

This module builds arrays and calls HiGHS; it reads no clock and does no I/O.
"""

import time
from dataclasses import dataclass, field

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
    last_slot_share: FloatArray = field(default_factory=lambda: np.zeros(0))
    """Share of its last slot a session is still plugged in (coarse slots; empty: all 1)."""
    fixed_kw: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    """Power a session is held at in a slot, whatever the plan (sessions * slots; NaN: free;
    empty: all free): a station that cannot be reached keeps drawing what it was given. Only
    slots the session is plugged in count. The limits give the free sessions what the held
    ones leave (none where those alone pass it), and a held session's energy beyond its need
    is not unmet-negative: its need is raised to what it is held at."""
    unmet_cost: float = 1000.0
    peak_cost: float = 0.0
    early_cost: float = 0.0
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


def solve(problem: FleetProblem) -> FleetSchedule:
    started = time.perf_counter()
    lp, columns = _build(problem)
    highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy's stub leaves __init__ bare
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("presolve", "off")  # faster on these sparse, well-scaled LPs
    highs.passModel(lp)
    highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    n, slots = problem.sessions, problem.slots
    power = np.zeros((n, slots))
    unmet = problem.energy_kwh.astype(np.float64).copy()
    peak = 0.0
    m = len(columns.session)
    if len(values) == lp.num_col_:
        # HiGHS meets bounds within its feasibility tolerance (1e-7): a column bounded below by 0
        # can come back as -1e-9. A schedule never leaves its bounds, so clip to them exactly.
        values = np.clip(values, np.asarray(lp.col_lower_), np.asarray(lp.col_upper_))
        power[columns.session, columns.slot] = values[:m]
        unmet = values[m : m + n]
        peak = float(values[m + n])
    return FleetSchedule(power, unmet, peak, status, time.perf_counter() - started)


@dataclass(frozen=True)
class _Columns:
    session: IntArray
    slot: IntArray


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


def _build(problem: FleetProblem) -> tuple[highspy.HighsLp, _Columns]:
    """Columns: p (one per session and plugged-in slot), unmet (n), peak (1)."""
    cols = _columns(problem)
    n, slots, m = problem.sessions, problem.slots, len(cols.session)
    hours = problem.slot_hours[cols.slot]
    v2g = _v2g_mask(problem, cols)
    p_lower = np.where(v2g, -_discharge(problem)[cols.session], 0.0)
    p_upper = problem.max_power_kw[cols.session].astype(np.float64)
    if len(problem.last_slot_share):
        last = cols.slot == (problem.end_slot[cols.session] - 1)
        p_upper = np.where(last, p_upper * problem.last_slot_share[cols.session], p_upper)
    fixed = _fixed(problem, cols)
    held = ~np.isnan(fixed)
    p_lower = np.where(held, fixed, p_lower)
    p_upper = np.where(held, fixed, p_upper)
    need = _need(problem, cols, np.where(held, fixed * hours, 0.0))
    rows = _Rows()
    # Energy balance: delivered + unmet = need.
    rows.add(cols.session, np.arange(m), hours)
    rows.add(np.arange(n), m + np.arange(n), np.ones(n))
    rows.close(need, need)
    faces, rhs = _faces(problem, bool(np.any(v2g) or np.any(fixed[held] < 0)))
    coefs = faces[:, cols.session]
    # Held columns are a fixed load: the free ones share what is left (nothing, if none is).
    load = np.zeros_like(rhs)
    np.add.at(load.T, cols.slot[held], (coefs[:, held] * fixed[held]).T)
    rhs = np.maximum(rhs - load, 0.0)
    coefs = np.where(held, 0.0, coefs)
    # A slot where every column at its worst bound fits needs no row.
    worst = np.where(coefs > 0, coefs * p_upper, coefs * p_lower)
    per_slot = np.zeros((len(faces), slots))
    np.add.at(per_slot.T, cols.slot, worst.T)
    binding = per_slot > rhs + 1e-9
    for f in np.flatnonzero(np.any(binding, axis=1)):
        keep = (np.abs(coefs[f]) > 1e-12) & binding[f, cols.slot]
        used = np.flatnonzero(binding[f])
        row_of_slot = np.zeros(slots, dtype=np.int64)
        row_of_slot[used] = np.arange(len(used))
        rows.add(row_of_slot[cols.slot[keep]], np.flatnonzero(keep), coefs[f, keep])
        rows.close(np.full(len(used), -np.inf), rhs[f, used])
    if problem.peak_cost > 0:  # Σ p - peak ≤ 0 in every slot
        rows.add(cols.slot, np.arange(m), np.ones(m))
        rows.add(np.arange(slots), np.full(slots, m + n), -np.ones(slots))
        rows.close(np.full(slots, -np.inf), np.zeros(slots))
    price = problem.price[cols.slot] if len(problem.price) else np.zeros(m)
    waited = np.cumsum(problem.slot_hours) - problem.slot_hours / 2  # hours to each slot's middle
    early = problem.early_cost * waited[cols.slot]
    weight = problem.weight if len(problem.weight) else np.ones(n)
    cost = [(price + early) * hours, problem.unmet_cost * weight, np.array([problem.peak_cost])]
    lp = _assemble(
        n_cols=m + n + 1,
        rows=np.concatenate(rows.rows),
        cols=np.concatenate(rows.cols),
        values=np.concatenate(rows.values),
        bounds=(
            np.concatenate([p_lower, np.zeros(n), [0.0]]),
            np.concatenate([p_upper, need, [np.inf]]),
            np.concatenate(cost),
            np.concatenate(rows.lower),
            np.concatenate(rows.upper),
        ),
    )
    return lp, cols


def _faces(problem: FleetProblem, any_negative: bool) -> tuple[FloatArray, FloatArray]:
    """Every constraint's linear faces (F * sessions) and right-hand sides (F * slots)."""
    faces, rhs = [], []
    for c in problem.constraints:
        rows, scale, offsets = linearize(
            c.coefficients, c.offset, problem.polygon_faces, any_negative
        )
        faces.append(rows)
        rhs.append(np.maximum(scale * c.limits[None, :] - offsets[:, None], 0.0))
    if not faces:
        return np.zeros((0, problem.sessions)), np.zeros((0, problem.slots))
    return np.concatenate(faces), np.concatenate(rhs)


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
