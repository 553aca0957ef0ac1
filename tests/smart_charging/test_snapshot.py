import pytest

from chargeyard.smart_charging.electrical import Line
from chargeyard.smart_charging.snapshot import Circuit, CircuitId, Objective, compile_constraints

from .factories import evse, session, single_phase, site


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
