"""Electrical model: how an EVSE's power loads the lines of the circuits above it.

Every limit in the optimizer is one *line constraint*: the magnitude of a weighted sum of session
powers (kW) stays within a limit, |Σ c_i · p_i + offset| ≤ limit.  A limit in kW has real
coefficients 1; a limit in A on one line of a three-phase system has complex coefficients (the
phasor of the current that 1 kW of the EVSE draws on that line), so that single-phase EVSEs wired
line-to-neutral or line-to-line across different phases add up as they do on the copper.

Power and current convert with P = factor * PF * I * V, where the factor is 1 (single phase, DC),
√3 (three-phase, V line-to-line) or 3 (three-phase, V line-to-neutral).

This module knows nothing of sessions, time or solvers.
"""

import cmath
import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ComplexArray = npt.NDArray[np.complex128]


class Supply(StrEnum):
    AC_SINGLE_PHASE = "ac_single_phase"
    AC_THREE_PHASE_LN = "ac_three_phase_ln"
    """Three-phase, the voltage given line-to-neutral (e.g. 230 V): factor 3."""
    AC_THREE_PHASE_LL = "ac_three_phase_ll"
    """Three-phase, the voltage given line-to-line (e.g. 400 V): factor √3."""
    DC = "dc"


class Line(StrEnum):
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"


PHASE_FACTOR: dict[Supply, float] = {
    Supply.AC_SINGLE_PHASE: 1.0,
    Supply.AC_THREE_PHASE_LN: 3.0,
    Supply.AC_THREE_PHASE_LL: math.sqrt(3.0),
    Supply.DC: 1.0,
}

_LINE_ANGLE_DEG = {Line.L1: 0.0, Line.L2: -120.0, Line.L3: 120.0}


def _unit(angle_deg: float) -> complex:
    return cmath.rect(1.0, math.radians(angle_deg))


@dataclass(frozen=True)
class ElectricalSpec:
    """How an EVSE is fed.

    `lines` names the lines it draws from: one line for a single-phase EVSE wired line-to-neutral,
    two for one wired line-to-line (its voltage is then the line-to-line voltage), three for a
    three-phase or DC EVSE (whose grid side is treated as a balanced three-phase load).
    """

    supply: Supply
    voltage_v: float
    power_factor: float = 1.0
    lines: tuple[Line, ...] = (Line.L1, Line.L2, Line.L3)

    def __post_init__(self) -> None:
        if self.voltage_v <= 0 or not 0 < self.power_factor <= 1:
            raise ValueError("voltage must be positive and power factor in (0, 1]")
        single = self.supply is Supply.AC_SINGLE_PHASE
        if single and len(self.lines) not in (1, 2):
            raise ValueError("a single-phase EVSE is wired to one line (L-N) or two (L-L)")
        if not single and len(self.lines) != 3:
            raise ValueError("a three-phase or DC EVSE draws from three lines")

    @property
    def amps_per_kw(self) -> float:
        """Current per line (A) that 1 kW draws."""
        return 1000.0 / (PHASE_FACTOR[self.supply] * self.power_factor * self.voltage_v)

    def line_phasors(self) -> dict[Line, complex]:
        """Phasor of the current on each line per ampere of EVSE current (voltage reference L1)."""
        if self.supply is not Supply.AC_SINGLE_PHASE:
            return {line: _unit(_LINE_ANGLE_DEG[line]) for line in self.lines}
        if len(self.lines) == 1:
            return {self.lines[0]: _unit(_LINE_ANGLE_DEG[self.lines[0]])}
        first, second = self.lines
        # The load current is in phase with V_xy = V_x - V_y, which leads V_x by 30°.
        current = _unit(_LINE_ANGLE_DEG[first] + 30.0)
        if _LINE_ANGLE_DEG[first] - _LINE_ANGLE_DEG[second] not in (120.0, -240.0):
            current = _unit(_LINE_ANGLE_DEG[first] - 30.0)
        return {first: current, second: -current}


def kw_to_amps(power_kw: float, spec: ElectricalSpec) -> float:
    """Per-line current for a power: I = P / (factor * PF * V)."""
    return power_kw * spec.amps_per_kw


def amps_to_kw(current_a: float, spec: ElectricalSpec) -> float:
    """Power for a per-line current: P = factor * PF * I * V."""
    return current_a / spec.amps_per_kw


@dataclass(frozen=True)
class LineConstraint:
    """|coefficients · p + offset| ≤ limit, with p the vector of session powers in kW.

    `limit` may vary over time (one value per slot) in schedules; the real-time allocation reads
    a scalar.
    """

    name: str
    coefficients: ComplexArray
    limit: float
    offset: complex = 0j

    @property
    def is_real(self) -> bool:
        """All coefficients share the positive real axis (a kW limit, or one phase)."""
        return bool(np.all(np.abs(self.coefficients.imag) < 1e-12))


def constraint_values(
    constraints: list[LineConstraint], power_kw: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Magnitude of each constraint's load and its limit, for a vector of session powers."""
    if not constraints:
        return np.zeros(0), np.zeros(0)
    matrix = np.stack([c.coefficients for c in constraints])
    offsets = np.array([c.offset for c in constraints])
    limits = np.array([c.limit for c in constraints])
    return np.abs(matrix @ power_kw + offsets), limits


def feasible(constraints: list[LineConstraint], power_kw: FloatArray, tol: float = 1e-9) -> bool:
    loads, limits = constraint_values(constraints, power_kw)
    return bool(np.all(loads <= limits + tol))


def polygon_directions(count: int) -> FloatArray:
    """Directions (rad) of the faces of a regular polygon inscribed in the unit circle.

    Faces are offset by half a step so that 0°, ±30°, ±60°... (balanced three-phase operating
    points) fall on vertices, where the polygon touches the circle: there it loses nothing.
    """
    step = 2.0 * math.pi / count
    return np.asarray(np.arange(count) * step + step / 2.0, dtype=np.float64)


def linearize(
    coefficients: ComplexArray, offset: complex = 0j, count: int = 24
) -> tuple[FloatArray, float, FloatArray]:
    """Rows a, scale s and offsets o such that a · p ≤ s * limit - o implies
    |coefficients · p + offset| ≤ limit, for powers p ≥ 0 (a discharge never counts against a
    limit: `schedule.py` bounds the charging alone).

    A real constraint is one row.  A phasor constraint is the inscribed regular polygon of
    `count` faces; faces that no session can push against (every projection ≤ 0) are dropped.
    """
    if np.all(np.abs(coefficients.imag) < 1e-12):
        row = coefficients.real.reshape(1, -1).astype(np.float64)
        return row, 1.0, np.array([abs(offset)])
    angles = polygon_directions(count)
    turns = np.exp(-1j * angles)
    rows = (turns[:, None] * coefficients[None, :]).real
    offsets = (turns * offset).real
    keep = np.any(rows > 1e-12, axis=1)
    rows, offsets = rows[keep], offsets[keep]
    return rows.astype(np.float64), math.cos(math.pi / count), offsets.astype(np.float64)
