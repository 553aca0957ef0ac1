"""Operators' power limits as constraints of the plan: read from the commands stations accepted,
turned into circuits, and a session under a limit below its minimum paused for the others."""

from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.charging_profiles.domain import LimitUnit
from chargeyard.load_management.operator_limits import (
    CommandFact,
    OperatorLimit,
    in_force,
    with_operator_limits,
)
from chargeyard.load_management.planner import plan
from chargeyard.smart_charging.electrical import constraint_values
from chargeyard.smart_charging.snapshot import SessionId, compile_constraints
from tests.load_management.test_planner import EMPTY, NOW, make_site


def fact(
    command: str, at_s: int, status: str = "Accepted", station: str = "S0", **request: Any
) -> CommandFact:
    return CommandFact(station, command, request, status, NOW + timedelta(seconds=at_s))


def limit_on(station: str, evse_id: int = 0, kw: float = 3.0, **fields: Any) -> OperatorLimit:
    return OperatorLimit(station, evse_id, fields.get("transaction_id"), 0, kw, LimitUnit.KW, None)


def test_accepted_limits_are_in_force_until_cleared_or_expired() -> None:
    facts = [
        fact("set-charging-profile", 0, limit="3", unit="kW", evse_id=0),
        fact("set-charging-profile", 1, station="S1", limit="10", unit="kW", evse_id=1),
        fact("set-charging-profile", 2, station="S2", limit="16", unit="A", evse_id=0),
        fact("set-charging-profile", 3, station="S3", limit="5", unit="kW", status="Rejected"),
        fact("set-charging-profile", 4, station="S4", limit="5", unit="kW", duration_s=60),
        fact("set-charging-profile", 5, station="S1", charging_profile={"id": 1}),
        fact("clear-charging-profile", 6, station="S1", evse_id=1, transaction_id=None),
    ]
    found = in_force(facts, NOW + timedelta(seconds=30))
    assert {(v.station_id, v.limit, v.unit) for v in found} == {
        ("S0", 3.0, LimitUnit.KW),
        ("S2", 16.0, LimitUnit.A),
        ("S4", 5.0, LimitUnit.KW),
    }
    assert {v.station_id for v in in_force(facts, NOW + timedelta(seconds=120))} == {"S0", "S2"}


def test_a_generic_clear_removes_the_limits_its_criteria_match() -> None:
    facts = [
        fact("set-charging-profile", 0, limit="3", unit="kW", evse_id=0),
        fact("set-charging-profile", 1, limit="4", unit="kW", evse_id=2),
        fact("clear-charging-profile", 2, purpose="TxDefaultProfile"),
    ]
    assert [v.evse_id for v in in_force(facts, NOW)] == [0]
    facts.append(fact("clear-charging-profile", 3))  # no criteria: every profile
    assert in_force(facts, NOW) == []


def test_limits_become_nested_circuits_below_the_station_circuit() -> None:
    site = make_site(30.0, [True, True, True, True])
    limits = [limit_on("S0", 0, 10.0), limit_on("S0", 2, 3.0), limit_on("S1", 0, 50.0)]
    snapshot = with_operator_limits(site.snapshot, limits, site.places, {})
    parent = {c.id: c.parent_id for c in snapshot.circuits}
    homes = {e.id: e.circuit_id for e in snapshot.evses}
    place = {p: k for k, p in site.places.items()}
    limited_evse = homes[place[("S0", 2)]]  # its EVSE's circuit, under its station's, under root
    assert parent[limited_evse] == homes[place[("S0", 1)]]
    assert parent[homes[place[("S0", 1)]]] == "root"
    assert all(homes[k] != "root" for k, (st, _n) in site.places.items() if st == "S1")


def test_a_session_under_a_limit_below_its_minimum_is_paused_and_its_share_given_away() -> None:
    # Four sessions on a 21 kW circuit; S0 (two sessions) is limited to 3 kW, below an AC
    # EV's 6 A minimum (4.14 kW): its sessions get nothing, the other two get 10.5 kW each.
    site = make_site(21.0, [True, True, True, True])
    limited = with_operator_limits(site.snapshot, [limit_on("S0", 0, 3.0)], site.places, {})
    made = plan(replace(site, snapshot=limited), EMPTY)
    on_s0 = [sid for sid, info in made.site.sessions.items() if info.station_id == "S0"]
    assert all(made.power_kw[sid] == 0.0 for sid in on_s0)
    others = [kw for sid, kw in made.power_kw.items() if sid not in on_s0]
    assert others == pytest.approx([10.5, 10.5])


def test_a_transaction_limit_applies_only_while_it_runs() -> None:
    site = make_site(40.0, [True, False])
    running = {0: ("S0", 1)}
    capped = limit_on("S0", 1, 7.0, transaction_id=0)
    made = plan(
        replace(site, snapshot=with_operator_limits(site.snapshot, [capped], site.places, running)),
        EMPTY,
    )
    assert made.power_kw[SessionId("0")] == pytest.approx(7.0)
    gone = with_operator_limits(site.snapshot, [capped], site.places, {})
    assert gone == site.snapshot


def test_the_plan_keeps_every_limit_including_the_operators() -> None:
    site = make_site(30.0, [True, True, True, True, True, False])
    limits = [limit_on("S0", 0, 5.0), limit_on("S1", 1, 6.0), limit_on("S2", 0, 20.0)]
    snapshot = with_operator_limits(site.snapshot, limits, site.places, {})
    made = plan(replace(site, snapshot=snapshot), EMPTY)
    power = np.array([made.power_kw[s.id] for s in snapshot.sessions])
    loads, bounds = constraint_values(compile_constraints(snapshot), power)
    assert np.all(loads <= bounds + 1e-6)
    assert sum(power) > 25.0  # what the limits leave unused goes to the others


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.booleans(), min_size=1, max_size=8),
    st.floats(5.0, 60.0),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.floats(1.0, 30.0)), max_size=4),
)
def test_no_plan_passes_an_operator_limit_or_the_circuit(
    busy: list[bool], limit_kw: float, chosen: list[tuple[int, int, float]]
) -> None:
    site = make_site(limit_kw, busy)
    limits = [limit_on(f"S{station}", evse, kw) for station, evse, kw in chosen]
    snapshot = with_operator_limits(site.snapshot, limits, site.places, {})
    made = plan(replace(site, snapshot=snapshot), EMPTY)
    power = np.array([made.power_kw[s.id] for s in snapshot.sessions])
    loads, bounds = constraint_values(compile_constraints(snapshot), power)
    assert np.all(loads <= bounds + 1e-6)
    for s in snapshot.sessions:
        minimum = snapshot.evse(s.evse_id).min_power_kw
        assert made.power_kw[s.id] == 0.0 or made.power_kw[s.id] >= minimum - 1e-9
