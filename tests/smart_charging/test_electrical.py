import math

import numpy as np
import pytest

from chargeyard.smart_charging.electrical import (
    ElectricalSpec,
    Line,
    Supply,
    amps_to_kw,
    kw_to_amps,
    linearize,
)


@pytest.mark.parametrize(
    ("spec", "amps", "kw"),
    [
        (ElectricalSpec(Supply.AC_SINGLE_PHASE, 230.0, lines=(Line.L1,)), 32.0, 7.36),
        (ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0), 16.0, 11.04),
        (ElectricalSpec(Supply.AC_THREE_PHASE_LL, 400.0), 16.0, math.sqrt(3) * 6.4),
        (ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0, power_factor=0.9), 32.0, 0.9 * 22.08),
        (ElectricalSpec(Supply.DC, 400.0), 125.0, 50.0),
    ],
)
def test_power_and_current_convert_with_phase_factor_and_power_factor(
    spec: ElectricalSpec, amps: float, kw: float
) -> None:
    assert amps_to_kw(amps, spec) == pytest.approx(kw)
    assert kw_to_amps(kw, spec) == pytest.approx(amps)


def test_line_to_line_load_draws_opposite_currents_leading_by_30_degrees() -> None:
    phasors = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L1, Line.L2)).line_phasors()
    assert np.angle(phasors[Line.L1], deg=True) == pytest.approx(30.0)
    assert phasors[Line.L2] == pytest.approx(-phasors[Line.L1])
    reverse = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L3, Line.L1)).line_phasors()
    assert np.angle(reverse[Line.L3], deg=True) == pytest.approx(150.0)


def test_balanced_line_to_line_loads_give_sqrt3_line_current() -> None:
    """Equal loads L1-L2 and L3-L1 add on L1 as phasors 60° apart: √3 * I, not 2 * I."""
    ab = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L1, Line.L2)).line_phasors()
    ca = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L3, Line.L1)).line_phasors()
    assert abs(10 * ab[Line.L1] + 10 * ca[Line.L1]) == pytest.approx(10 * math.sqrt(3))


def test_wrong_line_count_is_rejected() -> None:
    with pytest.raises(ValueError):
        ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0, lines=(Line.L1,))


def test_polygon_linearization_is_inside_the_circle_and_tight_on_vertices() -> None:
    coefficients = np.array([1.0, np.exp(1j * np.pi / 3)])
    rows, scale, offsets = linearize(coefficients, count=24)
    rng = np.random.default_rng(1)
    for p in rng.uniform(0, 10, size=(200, 2)):
        if np.all(rows @ p <= scale * 10.0 - offsets):
            assert abs(coefficients @ p) <= 10.0 + 1e-9
    on_vertex = np.array([10.0 / math.sqrt(3), 10.0 / math.sqrt(3)])  # direction 30°
    assert np.all(rows @ on_vertex <= scale * 10.0 + 1e-9)
