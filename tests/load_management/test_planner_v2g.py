"""The planner under a V2G event: discharge planned only in the event's slots, only on
bidirectional EVSEs, never below what a session needs by its departure, and down to the
event's target for the site's net import."""

from dataclasses import replace
from datetime import timedelta

import pytest

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.discharge import may_discharge, reports_enabled
from chargeyard.load_management.planner import plan
from chargeyard.load_management.site_reader import SLOT, Site, objective_now
from chargeyard.smart_charging.horizon import V2gWindow
from chargeyard.smart_charging.snapshot import Objective, Session
from tests.load_management.test_planner import EMPTY, NOW, make_site

HOURS = SLOT.total_seconds() / 3600
EVENT = V2gWindow(NOW + 4 * SLOT, NOW + 8 * SLOT, max_power_kw=-6.0)  # 09:00 to 10:00


def _site(needs_kwh: tuple[float, float], leaves_h: tuple[float, float], event: V2gWindow) -> Site:
    """Two sessions on a 22 kW circuit; only the first one's EVSE is bidirectional."""
    site = make_site(22, [True, True], Objective.FLEET)
    first = site.snapshot.sessions[0].evse_id
    evses = tuple(
        replace(e, bidirectional=e.id == first, max_power_kw=11.0) for e in site.snapshot.evses
    )
    sessions = tuple(
        replace(s, energy_needed_kwh=need, departure=NOW + timedelta(hours=hours))
        for s, need, hours in zip(site.snapshot.sessions, needs_kwh, leaves_h, strict=True)
    )
    snapshot = replace(site.snapshot, evses=evses, sessions=sessions)
    return replace(site, snapshot=snapshot, horizon=replace(site.horizon, v2g_windows=(event,)))


def _schedules(site: Site) -> list[tuple[float, ...]]:
    made = plan(site, EMPTY)
    by_session = {t.transaction_id: t.limits_kw for t in made.targets if t.purpose is Purpose.TX}
    return [by_session[site.sessions[s.id].transaction_id] for s in site.snapshot.sessions]


def _delivered_kwh(values: tuple[float, ...], session: Session) -> float:
    assert session.departure is not None
    slots = int((session.departure - NOW) / SLOT)
    return sum(values[:slots]) * HOURS


def test_discharge_is_planned_only_in_the_events_slots_and_only_on_the_bidirectional_evse() -> None:
    site = _site((10.0, 10.0), (8.0, 8.0), EVENT)
    bidirectional, plain = _schedules(site)
    assert all(v >= 0 for v in plain)
    assert any(v < 0 for v in bidirectional[4:8])
    assert all(v >= 0 for k, v in enumerate(bidirectional) if not 4 <= k < 8)
    # The site's net import is at the event's target in its slots.
    for k in range(4, 8):
        assert bidirectional[k] + plain[k] == pytest.approx(-6.0, abs=0.01)
    # Both still leave with what they need.
    for values, session in zip((bidirectional, plain), site.snapshot.sessions, strict=True):
        assert _delivered_kwh(values, session) == pytest.approx(10.0, abs=0.01)


def test_a_session_that_needs_its_energy_by_departure_discharges_nothing() -> None:
    """The bidirectional session leaves at 10:00 needing 21 kWh it can only just get at 11 kW:
    it gives nothing back, the target is missed rather than its departure."""
    site = _site((21.0, 5.0), (2.0, 8.0), EVENT)
    bidirectional, _plain = _schedules(site)
    assert all(v >= 0 for v in bidirectional)
    assert _delivered_kwh(bidirectional, site.snapshot.sessions[0]) == pytest.approx(21.0, abs=0.01)


def test_a_session_gives_back_only_what_it_can_recharge_by_departure() -> None:
    """Leaving at 11:00 needing 20 kWh, with 33 kWh of room (3 h at 11 kW): it gives some back
    in the event's hour, and still leaves with its 20 kWh."""
    site = _site((20.0, 0.0), (3.0, 8.0), V2gWindow(NOW + 4 * SLOT, NOW + 8 * SLOT, -30.0))
    bidirectional, _plain = _schedules(site)
    given_back = -sum(v for v in bidirectional[4:8] if v < 0) * HOURS
    assert given_back > 0
    assert _delivered_kwh(bidirectional, site.snapshot.sessions[0]) == pytest.approx(20.0, abs=0.01)


def test_without_an_event_nothing_discharges() -> None:
    site = _site((10.0, 10.0), (8.0, 8.0), EVENT)
    site = replace(site, horizon=replace(site.horizon, v2g_windows=()))
    assert all(v >= 0 for values in _schedules(site) for v in values)


@pytest.mark.parametrize(
    ("protocol", "reports_v2x", "expected"),
    [
        ("ocpp1.6", True, False),
        ("ocpp1.6", False, False),
        ("ocpp2.0.1", False, False),
        ("ocpp2.0.1", True, True),
        ("ocpp2.1", False, True),
        (None, True, False),
    ],
)
def test_which_stations_may_be_asked_to_discharge(
    protocol: str | None, reports_v2x: bool, expected: bool
) -> None:
    assert may_discharge(protocol, reports_v2x) is expected


def test_the_v2x_controller_reads_enabled_as_stations_report_it() -> None:
    assert reports_enabled("true") and reports_enabled("TRUE")
    assert not reports_enabled("false") and not reports_enabled(None)


def test_charging_fits_the_circuit_without_counting_on_a_discharge() -> None:
    """Three sessions on 11 kW: the two plain ones need 11 kWh each within the hour, the
    bidirectional one can recharge by its departure. Counting its discharge as freed capacity,
    the plan would give the plain ones 22 kW beside an 11 kW discharge (11 kW net); a vehicle
    that ignores the discharge then leaves 22 kW on the circuit. The plain sessions' charging
    alone stays within the 11 kW, the discharge still goes towards the event's target."""
    site = make_site(11, [True, True, True], Objective.FLEET)
    first = site.snapshot.sessions[0].evse_id
    evses = tuple(
        replace(e, bidirectional=e.id == first, max_power_kw=11.0) for e in site.snapshot.evses
    )
    needs, leaves = (5.0, 11.0, 11.0), (8.0, 1.0, 1.0)
    sessions = tuple(
        replace(s, energy_needed_kwh=need, departure=NOW + timedelta(hours=hours))
        for s, need, hours in zip(site.snapshot.sessions, needs, leaves, strict=True)
    )
    event = V2gWindow(NOW, NOW + 4 * SLOT, max_power_kw=-6.0)
    site = replace(
        site,
        snapshot=replace(site.snapshot, evses=evses, sessions=sessions),
        horizon=replace(site.horizon, v2g_windows=(event,)),
    )
    schedules = _schedules(site)
    bidirectional = schedules[0]
    assert any(v < 0 for v in bidirectional[:4])  # it discharges for the event...
    for k in range(site.horizon.slots):  # ...and the imports alone fit the circuit
        assert sum(max(values[k], 0.0) for values in schedules) <= 11.0 + 1e-6
    # The plain sessions share the 11 kW, not the 22 kW the discharge would have "freed".
    assert schedules[1][0] + schedules[2][0] == pytest.approx(11.0, abs=0.01)


def test_a_load_sharing_site_is_planned_as_fleet_only_while_a_v2g_event_is_under_way() -> None:
    site = make_site(22, [True, True])
    plain = site.snapshot.evses
    bidirectional = (replace(plain[0], bidirectional=True), plain[1])
    sharing, fleet = Objective.LOAD_SHARING, Objective.FLEET
    assert objective_now(sharing, (EVENT,), bidirectional, EVENT.start) is fleet
    assert objective_now(sharing, (EVENT,), bidirectional, EVENT.end - SLOT) is fleet
    # Before or after it, without one, or with nothing that may discharge: the circuit's own.
    assert objective_now(sharing, (EVENT,), bidirectional, EVENT.start - SLOT) is sharing
    assert objective_now(sharing, (EVENT,), bidirectional, EVENT.end) is sharing
    assert objective_now(sharing, (), bidirectional, EVENT.start) is sharing
    assert objective_now(sharing, (EVENT,), plain, EVENT.start) is sharing
    assert objective_now(fleet, (), plain, EVENT.start) is fleet
