from datetime import timedelta

import pytest

from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.electrical import Line
from chargeyard.smart_charging.snapshot import CapacityWindow, Circuit, CircuitId

from .factories import NOW, evse, session, single_phase, site

SITE = CircuitId("site")


def test_equal_priorities_share_equally_within_limit_minus_buffer() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=25.0, buffer_kw=1.0),),
        tuple(evse(i) for i in range(4)),
        tuple(session(i) for i in range(4)),
    )
    power = allocate(snapshot).power_kw
    assert list(power.values()) == pytest.approx([6.0, 6.0, 6.0, 6.0])


def test_priority_weights_and_opt_out_first() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=20.0),),
        tuple(evse(i) for i in range(3)),
        (session(0, priority=0), session(1, priority=1), session(2, priority=3)),
    )
    power = allocate(snapshot).power_kw
    assert power["s0"] == pytest.approx(11.0)  # opt-out: its maximum
    assert power["s1"] == pytest.approx(4 * power["s2"])  # weight 16 against 4
    assert power["s1"] + power["s2"] == pytest.approx(9.0)


def test_session_that_cannot_get_its_minimum_is_paused_not_underpowered() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=10.0),),
        tuple(evse(i, min_kw=4.2) for i in range(3)),
        (session(0), session(1), session(2, priority=5)),
    )
    result = allocate(snapshot)
    assert result.paused == ("s2",)
    assert result.power_kw["s2"] == 0.0
    assert result.power_kw["s0"] == pytest.approx(5.0)


def test_unused_power_of_a_slow_ev_goes_to_the_others() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=20.0),),
        tuple(evse(i) for i in range(2)),
        (session(0, measured_power_kw=3.0, offered_power_kw=10.0), session(1)),
    )
    power = allocate(snapshot).power_kw
    assert power["s0"] == pytest.approx(4.0)
    assert power["s1"] == pytest.approx(11.0)


def test_power_step_rounds_down_and_hands_back_whole_steps() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=10.0),),
        tuple(evse(i, step_kw=0.69) for i in range(3)),
        tuple(session(i) for i in range(3)),
    )
    power = allocate(snapshot).power_kw
    assert sum(power.values()) <= 10.0
    assert all(round(p / 0.69, 6).is_integer() for p in power.values())
    assert sum(power.values()) > 10.0 - 0.69


def test_sub_circuit_in_amps_limits_its_line_and_capacity_window_applies() -> None:
    feeder = Circuit(CircuitId("feeder"), parent_id=SITE, max_current_a=16.0, phases=3)
    window = CapacityWindow(NOW - timedelta(hours=1), NOW + timedelta(hours=1), max_power_kw=12.0)
    snapshot = site(
        (Circuit(SITE, max_power_kw=50.0, windows=(window,)), feeder),
        (
            evse(0, "feeder", single_phase(Line.L1), 7.4),
            evse(1, "feeder", single_phase(Line.L1), 7.4),
            evse(2),
        ),
        tuple(session(i) for i in range(3)),
    )
    power = allocate(snapshot).power_kw
    assert power["s0"] + power["s1"] == pytest.approx(16 * 0.23)  # 16 A on L1 at 230 V
    assert sum(power.values()) == pytest.approx(12.0)  # the curtailment window


def test_idle_reserve_is_kept_free() -> None:
    idle = evse(9)
    reserved = type(idle)(idle.id, idle.circuit_id, idle.electrical, 11.0, idle_reserve_kw=4.0)
    snapshot = site(
        (Circuit(SITE, max_power_kw=20.0),), (evse(0), evse(1), reserved), (session(0), session(1))
    )
    assert sum(allocate(snapshot).power_kw.values()) == pytest.approx(16.0)
