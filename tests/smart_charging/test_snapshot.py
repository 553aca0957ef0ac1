import cmath
import math
from dataclasses import replace
from datetime import timedelta

import pytest

from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.electrical import Line
from chargeyard.smart_charging.horizon import Horizon, schedule
from chargeyard.smart_charging.snapshot import (
    Circuit,
    CircuitId,
    Objective,
    SiteSnapshot,
    compile_constraints,
)

from .factories import NOW, evse, session, single_phase, site


def test_tree_compiles_to_one_constraint_per_kw_node_and_per_line_of_an_amp_node() -> None:
    snapshot = site(
        (
            Circuit(CircuitId("site"), max_power_kw=50.0, buffer_kw=5.0),
            Circuit(
                CircuitId("feeder"), CircuitId("site"), max_current_a=32.0, phases=3, buffer_a=2.0
            ),
            Circuit(
                CircuitId("garage"), CircuitId("site"), max_power_kw=9.0, objective=Objective.OFF
            ),
        ),
        (evse(0, "feeder", single_phase(Line.L2)), evse(1, "garage")),
        (session(0), session(1)),
    )
    constraints = {c.name: c for c in compile_constraints(snapshot)}
    assert sorted(constraints) == ["feeder:L1", "feeder:L2", "feeder:L3", "site:kW"]
    assert constraints["site:kW"].limit == pytest.approx(45.0)
    assert constraints["site:kW"].coefficients.real.tolist() == [1.0, 1.0]
    assert constraints["feeder:L2"].limit == pytest.approx(30.0)
    assert abs(constraints["feeder:L2"].coefficients[0]) == pytest.approx(1000 / 230)
    assert constraints["feeder:L1"].coefficients[0] == 0


def test_a_cycle_in_the_tree_is_an_error() -> None:
    snapshot = site(
        (
            Circuit(CircuitId("a"), CircuitId("b"), max_power_kw=1.0),
            Circuit(CircuitId("b"), CircuitId("a")),
        ),
        (evse(0, "a"),),
        (session(0),),
    )
    with pytest.raises(ValueError, match="cycle"):
        compile_constraints(snapshot)


SITE, SUB = CircuitId("site"), CircuitId("sub")


def _metered_site(sub_metered_kw: float) -> SiteSnapshot:
    """A 50 kW site connection over an 11 kW sub-circuit (1 kW buffer) with a meter on it, and
    a sibling circuit; two sessions on the sub-circuit, one on the sibling."""
    return site(
        (
            Circuit(SITE, max_power_kw=50.0),
            Circuit(SUB, SITE, max_power_kw=11.0, buffer_kw=1.0, metered_kw=sub_metered_kw),
            Circuit(CircuitId("other"), SITE, max_power_kw=11.0),
        ),
        (evse(0, "sub", min_kw=1.4), evse(1, "sub", min_kw=1.4), evse(2, "other")),
        (session(0), session(1), session(2)),
    )


def test_metered_load_counts_on_its_circuit_and_every_one_above() -> None:
    snapshot = site(
        (
            Circuit(SITE, max_power_kw=50.0),
            Circuit(SUB, SITE, max_power_kw=11.0, metered_kw=4.0),
            Circuit(CircuitId("feeder"), SUB, max_current_a=32.0, phases=3, metered_kw=2.3),
            Circuit(CircuitId("other"), SITE, max_power_kw=11.0),
            Circuit(CircuitId("single"), SITE, max_current_a=16.0, phases=1, metered_kw=2.3),
        ),
        (evse(0, "feeder"), evse(1, "other")),
        (session(0), session(1)),
    )
    constraints = {c.name: c for c in compile_constraints(snapshot)}
    assert constraints["site:kW"].offset == pytest.approx(4.0 + 2.3 + 2.3)
    assert constraints["sub:kW"].offset == pytest.approx(4.0 + 2.3)
    assert constraints["other:kW"].offset == 0
    # 2.3 kW balanced over three phases at 230 V: 10/3 A on each line, in that line's phase.
    for line, angle in ((Line.L1, 0.0), (Line.L2, -120.0), (Line.L3, 120.0)):
        expected = cmath.rect(10 / 3, math.radians(angle))
        assert constraints[f"feeder:{line.value}"].offset == pytest.approx(expected)
    assert constraints["single:L1"].offset == pytest.approx(10.0)  # all of it on L1


def test_sessions_and_metered_load_stay_within_a_sub_circuit_the_site_does_not_bind() -> None:
    assert allocate(_metered_site(0.0)).power_kw == pytest.approx(
        {"s0": 5.0, "s1": 5.0, "s2": 11.0}
    )
    # 11 kW less the 1 kW buffer less the meter's 4 kW: 6 kW for the two sessions.
    assert allocate(_metered_site(4.0)).power_kw == pytest.approx(
        {"s0": 3.0, "s1": 3.0, "s2": 11.0}
    )


def test_a_metered_load_past_its_circuits_limit_stops_only_that_circuits_sessions() -> None:
    """Before, the constraint could not be met at all, and every session of the site got 0."""
    power = allocate(_metered_site(12.0)).power_kw
    assert power == pytest.approx({"s0": 0.0, "s1": 0.0, "s2": 11.0})


def test_the_fleet_plan_keeps_sessions_and_metered_load_within_the_sub_circuit() -> None:
    snapshot = _metered_site(4.0)
    leaving = NOW + timedelta(hours=4)
    sessions = tuple(
        replace(s, departure=leaving, energy_needed_kwh=60.0) for s in snapshot.sessions
    )
    result = schedule(replace(snapshot, sessions=sessions), Horizon(NOW, timedelta(hours=1), 4))
    on_sub = result.power_kw[:2].sum(axis=0)
    assert on_sub == pytest.approx([6.0] * 4, abs=1e-6)
    assert result.power_kw[2] == pytest.approx([11.0] * 4, abs=1e-6)


def test_a_metered_load_is_never_negative() -> None:
    with pytest.raises(ValueError, match="metered_kw"):
        Circuit(SUB, SITE, max_power_kw=11.0, metered_kw=-1.0)
