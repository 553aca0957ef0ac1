"""The planner's guarantees on random sites: limits in force never pass the circuit's."""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.domain import AC_22KW, Target
from chargeyard.load_management.planner import HeldSchedule, InForce, held_per_slot, plan
from chargeyard.load_management.site_reader import (
    HORIZON_SLOTS,
    SLOT,
    SessionInfo,
    Site,
    StationInfo,
    evse_key,
)
from chargeyard.smart_charging.horizon import Horizon
from chargeyard.smart_charging.snapshot import (
    Circuit,
    CircuitId,
    Evse,
    Objective,
    Session,
    SessionId,
    SiteSnapshot,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EMPTY = InForce({}, {})


def make_site(
    limit_kw: float, busy: list[bool], objective: Objective = Objective.LOAD_SHARING
) -> Site:
    root = Circuit(CircuitId("root"), max_power_kw=limit_kw, objective=objective)
    evses, places, sessions, infos = [], {}, [], {}
    for index, has_session in enumerate(busy):
        station_id, number = f"S{index // 2}", index % 2 + 1
        key = evse_key(station_id, number)
        places[key] = (station_id, number)
        evses.append(Evse(key, root.id, AC_22KW.spec, AC_22KW.max_power_kw, AC_22KW.min_power_kw))
        if has_session:
            sid = SessionId(str(index))
            sessions.append(
                Session(
                    sid,
                    key,
                    NOW - timedelta(minutes=index),
                    departure=NOW + timedelta(hours=4),
                    energy_needed_kwh=30.0,
                )
            )
            infos[sid] = SessionInfo(index, str(index), station_id, number, None)
    stations = {
        st_id: StationInfo(st_id, "root", "ocpp1.6", True, "v", "m", "f", None)
        for st_id, _ in places.values()
    }
    snapshot = SiteSnapshot(NOW, (root,), tuple(evses), tuple(sessions))
    horizon = Horizon(NOW, SLOT, HORIZON_SLOTS)
    return Site(
        "root",
        objective,
        snapshot,
        stations,
        {e.id: AC_22KW for e in evses},
        places,
        infos,
        horizon,
        firm_baseload_kw=0.0,
    )


@settings(max_examples=60, deadline=None)
@given(limit=st.floats(5, 120), busy=st.lists(st.booleans(), min_size=1, max_size=10))
def test_sessions_and_idle_evses_stay_within_the_limit(limit: float, busy: list[bool]) -> None:
    made = plan(make_site(limit, busy), EMPTY)
    per_evse = [t.first_kw for t in made.targets if t.evse_id != 0]
    assert len(per_evse) == len(busy)
    assert sum(per_evse) <= limit + 1e-6
    fail_safe = [t.first_kw for t in made.targets if t.evse_id == 0]
    assert all(v * len(busy) <= limit + 1e-6 for v in fail_safe)


def test_an_offline_station_keeps_what_it_has_and_others_share_the_rest() -> None:
    site = make_site(22, [True, False, True, True])
    offline = {**site.stations, "S0": StationInfo("S0", "root", "ocpp1.6", False, "", "", "", None)}
    site = Site(**{**site.__dict__, "stations": offline})
    held = {("S0", 1, Purpose.TX): 10.0, ("S0", 2, Purpose.TX_DEFAULT): 2.0}
    in_force = InForce(held | {("S1", 0, Purpose.TX_DEFAULT): 5.5}, {})
    made = plan(site, in_force)
    power = {
        site.sessions[sid].station_id + str(site.sessions[sid].evse_id): kw
        for sid, kw in made.power_kw.items()
    }
    assert power["S01"] == 10.0
    assert abs(power["S11"] + power["S12"] - 10.0) < 0.01


def test_fleet_plans_a_schedule_per_session() -> None:
    made = plan(make_site(22, [True, True], Objective.FLEET), EMPTY)
    tx = [t for t in made.targets if t.purpose is Purpose.TX]
    assert len(tx) == 2 and all(len(t.limits_kw) == HORIZON_SLOTS for t in tx)
    slot_hours = SLOT.total_seconds() / 3600
    assert all(abs(sum(t.limits_kw) * slot_hours - 30.0) < 0.01 for t in tx)
    assert max(a + b for a, b in zip(tx[0].limits_kw, tx[1].limits_kw, strict=True)) <= 22 + 1e-6


def _offline(site: Site, station_id: str) -> Site:
    info = StationInfo(station_id, "root", "ocpp1.6", False, "", "", "", None)
    return Site(**{**site.__dict__, "stations": {**site.stations, station_id: info}})


def _per_slot_total(made_targets: list[tuple[float, ...]], slots: int) -> list[float]:
    """Each slot's sum of limits; a one-value limit is in force in every slot."""
    return [sum(t[k] if len(t) > 1 else t[0] for t in made_targets) for k in range(slots)]


SLOT_S = int(SLOT.total_seconds())
FALLING = (11.0, 10.0, 8.0, 6.0, 4.0, 2.0)
RISING = (1.0, 2.0, 3.0, 5.0, 8.0, 9.5)


def test_an_offline_fleet_station_keeps_its_schedules_and_others_share_each_slot() -> None:
    """S0 is offline with a falling and a rising schedule, in force since two slots ago; S1's
    session gets what they leave in each slot, S1's idle EVSE what is left at their peak."""
    site = _offline(make_site(30, [True, True, True, False], Objective.FLEET), "S0")
    hungry = replace(site.snapshot.sessions[2], energy_needed_kwh=80.0)  # more than fits
    snapshot = replace(site.snapshot, sessions=(*site.snapshot.sessions[:2], hungry))
    site = replace(site, snapshot=snapshot)
    since = NOW - 2 * SLOT
    in_force = InForce(
        {("S0", 1, Purpose.TX): FALLING[0], ("S0", 2, Purpose.TX): RISING[0]},
        {},
        {
            ("S0", 1, Purpose.TX): HeldSchedule(FALLING, since, SLOT_S),
            ("S0", 2, Purpose.TX): HeldSchedule(RISING, since, SLOT_S),
        },
    )
    made = plan(site, in_force)
    falling = FALLING[2:] + (FALLING[-1],) * (HORIZON_SLOTS - 4)
    rising = RISING[2:] + (RISING[-1],) * (HORIZON_SLOTS - 4)
    assert made.schedules[SessionId("0")] == falling  # held after its end at its last value
    assert made.schedules[SessionId("1")] == rising
    free = made.schedules[SessionId("2")]
    for k in range(HORIZON_SLOTS):
        assert free[k] <= 30 - falling[k] - rising[k] + 1e-6
    assert free[:4] == pytest.approx([19.0, 19.0, 18.0, 18.5], abs=1e-6)  # not 30 - 8 - 9.5
    limits = [t.limits_kw for t in made.targets if t.evse_id != 0]
    assert len(limits) == 4
    assert max(_per_slot_total(limits, HORIZON_SLOTS)) <= 30 + 1e-6


def test_an_offline_fleet_session_without_a_schedule_is_held_at_its_one_value() -> None:
    site = _offline(make_site(22, [True, True], Objective.FLEET), "S0")
    made = plan(site, InForce({("S0", 1, Purpose.TX_DEFAULT): 7.0}, {}))
    assert made.schedules[SessionId("0")] == (7.0,) * HORIZON_SLOTS
    assert max(made.schedules[SessionId("1")]) <= 22 - 7.0 + 1e-6


@settings(max_examples=25, deadline=None)
@given(
    limit=st.floats(10, 60),
    held=st.lists(st.floats(0, 22), min_size=1, max_size=12),
    since_slots=st.integers(0, 8),
    busy=st.lists(st.booleans(), min_size=2, max_size=6),
)
def test_fleet_limits_in_force_stay_within_the_circuit_with_a_held_schedule(
    limit: float, held: list[float], since_slots: int, busy: list[bool]
) -> None:
    busy = [True, *busy[1:]]
    site = _offline(make_site(limit, busy, Objective.FLEET), "S0")
    schedule = HeldSchedule(tuple(held), NOW - since_slots * SLOT, SLOT_S)
    in_force = InForce(
        {("S0", 1, Purpose.TX): held[0], ("S0", 2, Purpose.TX_DEFAULT): 3.0},
        {},
        {("S0", 1, Purpose.TX): schedule},
    )
    made = plan(site, in_force)
    expected = held_per_slot(schedule, site.horizon)
    assert made.schedules[SessionId("0")] == tuple(float(v) for v in expected)
    online = [t.limits_kw for t in made.targets if t.evse_id != 0 and t.station_id != "S0"]
    assert len(online) == len(busy) - 2
    totals = _per_slot_total(online, HORIZON_SLOTS)
    for k in range(HORIZON_SLOTS):
        # The others fit in what the offline station leaves (nothing where it takes it all).
        assert totals[k] <= max(0.0, limit - expected[k] - 3.0) + 1e-6


def test_held_slots_line_up_take_the_highest_overlap_and_keep_the_last_value() -> None:
    ten_minutes = HeldSchedule((4.0, 9.0, 2.0), NOW, 600)  # 8:00, 8:10, 8:20 (ends 8:30)
    per_slot = held_per_slot(ten_minutes, Horizon(NOW, SLOT, 4))
    assert per_slot == pytest.approx([9.0, 9.0, 2.0, 2.0])
    later = held_per_slot(HeldSchedule((5.0, 6.0), NOW + SLOT, SLOT_S), Horizon(NOW, SLOT, 3))
    assert per_slot.dtype == np.float64
    assert later == pytest.approx([5.0, 5.0, 6.0])  # before its start: its first value


def test_a_session_with_nothing_in_force_squeezes_the_others_as_if_at_its_maximum() -> None:
    """S1 (two EVSEs) has no limit of ours in force: the others are planned as if its session
    drew its EVSE's 22 kW, while its own TxProfile is its share of the normal plan."""
    site = make_site(33, [True, False, True, False])
    in_force = InForce({("S0", 0, Purpose.TX_DEFAULT): 8.0}, {})
    made = plan(site, in_force)
    tx = {t.station_id: t.first_kw for t in made.targets if t.purpose is Purpose.TX}
    idle_s0 = next(t for t in made.targets if t.key == ("S0", 2, Purpose.TX_DEFAULT))
    assert tx["S0"] + idle_s0.first_kw <= 33 - 22 + 1e-6
    assert 0 < tx["S1"] < 22
    normal = plan(site, InForce(in_force.limits_kw | {("S1", 0, Purpose.TX_DEFAULT): 8.0}, {}))
    assert {t.station_id: t.first_kw for t in normal.targets if t.purpose is Purpose.TX}[
        "S1"
    ] == tx["S1"]


@settings(max_examples=40, deadline=None)
@given(metered=st.floats(0, 14), busy=st.lists(st.booleans(), min_size=1, max_size=6))
def test_sessions_idle_evses_and_a_meter_stay_within_a_sub_circuit(
    metered: float, busy: list[bool]
) -> None:
    """Every EVSE hangs on an 11 kW sub-circuit (1 kW buffer) of a 50 kW site connection, with
    a meter on it: what the sessions and idle EVSEs may draw plus the meter fits 10 kW, and so
    do the fail-safe defaults were every EVSE busy (the site connection never binds)."""
    site = make_site(50, busy)
    sub = Circuit(
        CircuitId("sub"), CircuitId("root"), max_power_kw=11, buffer_kw=1, metered_kw=metered
    )
    evses = tuple(replace(e, circuit_id=sub.id) for e in site.snapshot.evses)
    snapshot = replace(site.snapshot, circuits=(*site.snapshot.circuits, sub), evses=evses)
    made = plan(replace(site, snapshot=snapshot), EMPTY)
    per_evse = [t.first_kw for t in made.targets if t.evse_id != 0]
    assert len(per_evse) == len(busy)
    assert sum(per_evse) + metered <= max(10.0, metered) + 1e-6
    evses_of = Counter(station_id for station_id, _number in site.places.values())
    fail_safe = sum(t.first_kw * evses_of[t.station_id] for t in made.targets if t.evse_id == 0)
    assert fail_safe + metered <= max(10.0, metered) + 1e-6


def _with_readings(site: Site, solar_kw: float, baseload_kw: float) -> Site:
    """`site` with a solar and a baseload reading in force over the whole horizon."""
    horizon = replace(
        site.horizon,
        solar_kw=np.full(HORIZON_SLOTS, solar_kw),
        baseload_kw=np.full(HORIZON_SLOTS, baseload_kw),
    )
    return replace(site, horizon=horizon, firm_baseload_kw=max(0.0, baseload_kw))


def _station_defaults(made_targets: list[Target], site: Site) -> float:
    """The sum over every EVSE of its station's fail-safe default (connector 0)."""
    share = {t.station_id: t.first_kw for t in made_targets if t.evse_id == 0}
    return sum(share[station_id] for station_id, _n in site.places.values())


@settings(max_examples=40, deadline=None)
@given(
    limit=st.floats(5, 120),
    busy=st.lists(st.booleans(), min_size=1, max_size=8),
    baseload=st.floats(0, 150),
    solar=st.floats(0, 60),
    objective=st.sampled_from([Objective.LOAD_SHARING, Objective.FLEET]),
)
def test_baseload_lowers_every_default_and_solar_raises_no_fail_safe_share(
    limit: float, busy: list[bool], baseload: float, solar: float, objective: Objective
) -> None:
    site = make_site(limit, busy, objective)
    made = plan(_with_readings(site, solar, baseload), EMPTY).targets
    # Fail-safe defaults: within the limit less the baseload, whatever the solar.
    assert _station_defaults(made, site) <= max(0.0, limit - baseload) + 1e-6
    unlit = plan(_with_readings(site, 0.0, baseload), EMPTY).targets
    assert [t for t in made if t.evse_id == 0] == [t for t in unlit if t.evse_id == 0]
    # Sessions and idle defaults (each EVSE's limit now): within what is left now.
    per_evse = [max(t.limits_kw[0], 0.0) for t in made if t.evse_id != 0]
    assert sum(per_evse) <= max(0.0, limit - baseload + solar) + 1e-6
    # No idle default above its station's fail-safe default.
    station = {t.station_id: t.first_kw for t in made if t.evse_id == 0}
    idle = [t for t in made if t.purpose is Purpose.TX_DEFAULT and t.evse_id != 0]
    assert all(t.first_kw <= station[t.station_id] + 1e-6 for t in idle)


def test_a_baseload_reading_lowers_the_fail_safe_and_idle_defaults() -> None:
    """22 kW, four idle EVSEs: 5.5 kW each. 8 kW of baseload leaves 14 kW: 3.5 kW each; 10 kW
    of solar on top changes no default (the idle ones stay at their fail-safe cap)."""
    site = make_site(22, [False, False, False, False])
    before = {t.key: t.first_kw for t in plan(site, EMPTY).targets}
    after = {t.key: t.first_kw for t in plan(_with_readings(site, 0.0, 8.0), EMPTY).targets}
    sunny = {t.key: t.first_kw for t in plan(_with_readings(site, 10.0, 8.0), EMPTY).targets}
    for station in ("S0", "S1"):
        assert before[(station, 0, Purpose.TX_DEFAULT)] == 5.5
        assert after[(station, 0, Purpose.TX_DEFAULT)] == 3.5
        assert sunny[(station, 0, Purpose.TX_DEFAULT)] == 3.5
    idle = [(s, n, Purpose.TX_DEFAULT) for s in ("S0", "S1") for n in (1, 2)]
    assert [before[k] for k in idle] == [5.5] * 4
    # Before, the baseload was not counted here: 4 x 5.5 kW with 14 kW left.
    assert [after[k] for k in idle] == [3.5] * 4
    assert [sunny[k] for k in idle] == [3.5] * 4
