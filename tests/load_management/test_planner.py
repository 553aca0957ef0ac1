"""The planner's guarantees on random sites: limits in force never pass the circuit's."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.domain import AC_22KW
from chargeyard.load_management.planner import InForce, plan
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
    in_force = InForce({("S0", 1, Purpose.TX): 10.0, ("S0", 2, Purpose.TX_DEFAULT): 2.0}, {})
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
