import numpy as np
import pytest

from chargeyard.smart_charging.electrical import ElectricalSpec, Line, LineConstraint, Supply
from chargeyard.smart_charging.online import OnlineState, control_step, slot_lengths


def test_slot_lengths_are_fine_first_then_coarse() -> None:
    assert slot_lengths(20, 12, 3).tolist() == [1] * 12 + [3, 3, 2]
    assert slot_lengths(5, 12, 3).tolist() == [1] * 5


def test_urgent_vehicle_gets_the_capacity_and_the_step_fills_the_limit() -> None:
    state = OnlineState(
        period_hours=0.25,
        remaining_kwh=np.array([1.5, 10.0]),
        periods_left=np.array([1, 40]),
        max_power_kw=np.array([7.0, 7.0]),
        constraints=(LineConstraint("site", np.ones(2, dtype=complex), 8.0),),
    )
    power = control_step(state)
    assert power[0] == pytest.approx(6.0)  # 1.5 kWh in one quarter hour
    assert power.sum() == pytest.approx(8.0)  # charge early: the rest goes to the other


def test_phasor_limit_of_line_to_line_loads_is_kept() -> None:
    ab = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L1, Line.L2))
    ca = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L3, Line.L1))
    coefficients = np.array(
        [ab.line_phasors()[Line.L1] * ab.amps_per_kw, ca.line_phasors()[Line.L1] * ca.amps_per_kw]
    )
    state = OnlineState(
        period_hours=1 / 12,
        remaining_kwh=np.array([50.0, 50.0]),
        periods_left=np.array([100, 100]),
        max_power_kw=np.array([22.0, 22.0]),
        constraints=(LineConstraint("L1", coefficients, 32.0),),
    )
    power = control_step(state)
    assert abs(coefficients @ power) <= 32.0 + 1e-6
    assert abs(coefficients @ power) >= 32.0 * 0.99  # the polygon loses little
