from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from chargeyard.smart_charging.departures import BLUR, presence
from chargeyard.smart_charging.horizon import (
    Horizon,
    PriceCap,
    V2gWindow,
    fleet_problem,
    schedule,
)
from chargeyard.smart_charging.snapshot import CapacityWindow, Circuit, CircuitId, Evse, Session

from .factories import NOW, evse, session, site

SITE = CircuitId("site")
SLOT = timedelta(hours=1)


def vehicle(number: int, need: float, leaves_after_h: int, priority: int = 3) -> Session:
    base = session(number, priority=priority)
    return Session(
        base.id,
        base.evse_id,
        base.arrival,
        priority,
        NOW + leaves_after_h * SLOT,
        energy_needed_kwh=need,
    )


def test_fleet_schedule_meets_departures_within_dr_window_and_price_cap() -> None:
    curtail = CapacityWindow(NOW + 2 * SLOT, NOW + 4 * SLOT, max_power_kw=5.0)
    snapshot = site(
        (Circuit(SITE, max_power_kw=20.0, buffer_kw=2.0, windows=(curtail,), objective="fleet"),),  # type: ignore[arg-type]
        (evse(0), evse(1)),
        (vehicle(0, 20.0, 4), vehicle(1, 30.0, 8)),
    )
    price = np.array([0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.1, 0.1])
    horizon = Horizon(NOW, SLOT, 8, price=price, price_caps=(PriceCap(0.3, 0.5),))
    result = schedule(snapshot, horizon)
    total = result.power_kw.sum(axis=0)
    assert result.unmet_kwh == pytest.approx([0.0, 0.0], abs=1e-6)
    assert np.all(total[[0, 1, 6, 7]] <= 18.0 + 1e-6)
    assert np.all(total[2:4] <= 3.0 + 1e-6)  # curtailment 5 kW minus the 2 kW buffer
    assert np.all(total[4:6] <= 9.0 + 1e-6)  # half of 18 kW while the price is high
    assert result.power_kw[0, 4:].sum() == pytest.approx(0.0, abs=1e-9)


def test_solar_raises_site_capacity_and_baseload_lowers_it() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=10.0),),
        (evse(0), evse(1)),
        (vehicle(0, 100, 4), vehicle(1, 100, 4)),
    )
    solar = np.array([0.0, 5.0, 5.0, 0.0])
    baseload = np.array([4.0, 0.0, 0.0, 0.0])
    result = schedule(snapshot, Horizon(NOW, SLOT, 4, solar_kw=solar, baseload_kw=baseload))
    assert result.power_kw.sum(axis=0) == pytest.approx([6.0, 15.0, 15.0, 10.0], abs=1e-6)


def test_bidirectional_evse_discharges_in_v2g_window() -> None:
    bidi = evse(0)
    snapshot = site(
        (Circuit(SITE, max_power_kw=22.0),),
        (Evse(bidi.id, bidi.circuit_id, bidi.electrical, 11.0, bidirectional=True),),
        (vehicle(0, 5.0, 4),),
    )
    price = np.array([0.1, 0.9, 0.1, 0.1])
    horizon = Horizon(
        NOW, SLOT, 4, price=price, v2g_windows=(V2gWindow(NOW + SLOT, NOW + 2 * SLOT),)
    )
    result = schedule(snapshot, horizon)
    assert result.power_kw[0, 1] == pytest.approx(-11.0)
    assert result.power_kw[0].sum() == pytest.approx(5.0)


def test_a_held_session_counts_in_every_held_slot_even_after_its_departure() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=10.0),),
        (evse(0), evse(1)),
        (vehicle(0, 5.0, 2), vehicle(1, 100.0, 4)),
    )
    held = np.full((2, 4), np.nan)
    held[0] = [6.0, 4.0, 4.0, 3.0]
    result = schedule(snapshot, Horizon(NOW, SLOT, 4), held)
    assert result.ok
    assert result.power_kw[0] == pytest.approx(held[0])
    assert result.power_kw[1] == pytest.approx([4.0, 6.0, 6.0, 7.0], abs=1e-6)


def test_the_shortfall_goes_to_the_session_needing_most() -> None:
    """The completion preference (`completion.completion_weights`) in the server's plan: two
    sessions leaving in an hour on 8 kW need 10 kWh; untilted, the LP is free to leave the small
    need unserved, tilted it leaves fully charged."""
    snapshot = site(
        (Circuit(SITE, max_power_kw=8.0),),
        (evse(0), evse(1)),
        (vehicle(0, 2.0, 1), vehicle(1, 8.0, 1)),
    )
    tilted = schedule(snapshot, Horizon(NOW, SLOT, 4))
    assert tilted.unmet_kwh == pytest.approx([0.0, 2.0], abs=1e-6)
    untilted = schedule(snapshot, Horizon(NOW, SLOT, 4, completion_tilt=0.0))
    # Same energy either way; only who is short differs (HiGHS 1.16 picks [2, 0] untilted).
    assert untilted.unmet_kwh.sum() == pytest.approx(tilted.unmet_kwh.sum(), abs=1e-6)


def test_a_session_plugged_in_mid_slot_is_planned_from_the_slot_under_way() -> None:
    """Arrivals round up to a slot's start only when they are still to come."""
    mid_slot = NOW + SLOT / 3
    arrived = Session(
        session(0).id, session(0).evse_id, mid_slot, departure=NOW + 3 * SLOT, energy_needed_kwh=30
    )
    coming = Session(session(1).id, session(1).evse_id, NOW + 2 * SLOT / 3, energy_needed_kwh=30)
    snapshot = replace(
        site((Circuit(SITE, max_power_kw=22.0),), (evse(0), evse(1)), (arrived, coming)),
        now=mid_slot,
    )
    result = schedule(snapshot, Horizon(NOW, SLOT, 4))
    assert result.power_kw[0, 0] == pytest.approx(11.0)
    assert result.power_kw[1, 0] == 0.0


def test_a_departure_mid_slot_is_promised_only_the_part_of_the_slot_before_it() -> None:
    leaving = Session(
        session(0).id, session(0).evse_id, NOW, departure=NOW + 1.5 * SLOT, energy_needed_kwh=20
    )
    snapshot = site((Circuit(SITE, max_power_kw=22.0),), (evse(0),), (leaving,))
    result = schedule(snapshot, Horizon(NOW, SLOT, 4))
    # 11 kW for one hour and a half: 16.5 kWh, not the 22 of two whole slots; and 11 kW (what
    # the vehicle may draw until it leaves), not 5.5 (an average over the slot), in the last.
    assert result.unmet_kwh[0] == pytest.approx(3.5, abs=1e-6)
    assert result.power_kw[0, :2].tolist() == pytest.approx([11.0, 11.0], abs=1e-6)


def test_charging_early_is_preferred_unless_a_later_slot_is_cheaper() -> None:
    snapshot = site((Circuit(SITE, max_power_kw=22.0),), (evse(0),), (vehicle(0, 11.0, 4),))
    early = schedule(snapshot, Horizon(NOW, SLOT, 4, peak_cost=0.0))
    assert early.power_kw[0].tolist() == pytest.approx([11.0, 0.0, 0.0, 0.0], abs=1e-6)
    price = np.array([0.30, 0.30, 0.29, 0.30])  # a cent cheaper two hours on
    priced = schedule(snapshot, Horizon(NOW, SLOT, 4, price=price, peak_cost=0.0))
    assert priced.power_kw[0].tolist() == pytest.approx([0.0, 0.0, 11.0, 0.0], abs=1e-6)


def test_with_no_needs_known_a_circuit_is_shared_as_load_sharing_shares_it() -> None:
    """Three sessions with no energy need on 21 kW, one EV taking at most 7.4 kW: each gets 7 kW
    in every slot (the LP gave a whole circuit to one or two sessions; the smaller EV's made-up
    need, its maximum over its stay, also tilted its weight). A priority-1 session on the same
    circuit is served first, and the two left share the rest evenly."""
    snapshot = site(
        (Circuit(SITE, max_power_kw=21.0),),
        (evse(0, max_kw=7.4), evse(1), evse(2)),
        (session(0), session(1), session(2)),
    )
    result = schedule(snapshot, Horizon(NOW, SLOT, 4))
    assert result.ok
    assert result.power_kw == pytest.approx(np.full((3, 4), 7.0), abs=1e-6)
    ranked = replace(snapshot, sessions=(session(0, priority=1), session(1), session(2)))
    first = schedule(ranked, Horizon(NOW, SLOT, 4)).power_kw
    assert first[:, 0] == pytest.approx([7.4, 6.8, 6.8], abs=1e-6)
    unfair = schedule(snapshot, Horizon(NOW, SLOT, 4, fair_cost=0.0))
    assert unfair.power_kw.sum(axis=0) == pytest.approx(np.full(4, 21.0), abs=1e-6)


def test_a_v2g_event_brings_the_sessions_down_to_its_import_target_by_discharging() -> None:
    """An event asking the site to export 4 kW in the second hour: with no prices the only
    reason to discharge is the target, so the bidirectional session gives back just enough
    (the other charges 3 kW there), recharges after, and both leave with their need."""
    bidi, plain = evse(0), evse(1)
    snapshot = site(
        (Circuit(SITE, max_power_kw=22.0),),
        (Evse(bidi.id, bidi.circuit_id, bidi.electrical, 11.0, bidirectional=True), plain),
        (vehicle(0, 10.0, 4), vehicle(1, 12.0, 4)),
    )
    event = V2gWindow(NOW + SLOT, NOW + 2 * SLOT, max_power_kw=-4.0)
    result = schedule(snapshot, Horizon(NOW, SLOT, 4, v2g_windows=(event,)))
    assert result.ok
    assert result.power_kw[:, 1].sum() == pytest.approx(-4.0, abs=1e-6)
    assert result.power_kw[1, 1] >= -1e-9  # only the bidirectional EVSE discharges
    assert result.power_kw[0, 1] < 0
    assert np.all(result.power_kw[:, [0, 2, 3]] >= -1e-9)  # and only in the event's slot
    assert result.unmet_kwh == pytest.approx([0.0, 0.0], abs=1e-6)


def test_a_v2g_event_never_takes_what_a_session_needs_by_its_departure() -> None:
    """The bidirectional session leaves right after the event needing 11 kWh it can only just
    get: it gives nothing back; the target is missed rather than its departure."""
    bidi = evse(0)
    snapshot = site(
        (Circuit(SITE, max_power_kw=22.0),),
        (Evse(bidi.id, bidi.circuit_id, bidi.electrical, 11.0, bidirectional=True),),
        (vehicle(0, 22.0, 2),),
    )
    event = V2gWindow(NOW + SLOT, NOW + 2 * SLOT, max_power_kw=-5.0)
    result = schedule(snapshot, Horizon(NOW, SLOT, 4, v2g_windows=(event,)))
    assert result.power_kw[0] == pytest.approx([11.0, 11.0, 0.0, 0.0], abs=1e-6)
    assert result.unmet_kwh == pytest.approx([0.0], abs=1e-6)


def test_a_v2g_event_counts_baseload_and_solar_in_the_net_import() -> None:
    """Net import = sessions + baseload - solar: a 0 kW target with 6 kW baseload and 2 kW
    solar has the sessions give back 4 kW."""
    bidi = evse(0)
    snapshot = site(
        (Circuit(SITE, max_power_kw=22.0),),
        (Evse(bidi.id, bidi.circuit_id, bidi.electrical, 11.0, bidirectional=True),),
        (vehicle(0, 5.0, 4),),
    )
    event = V2gWindow(NOW, NOW + SLOT, max_power_kw=0.0)
    horizon = Horizon(
        NOW,
        SLOT,
        4,
        v2g_windows=(event,),
        baseload_kw=np.full(4, 6.0),
        solar_kw=np.full(4, 2.0),
    )
    result = schedule(snapshot, horizon)
    assert result.power_kw[0, 0] == pytest.approx(-4.0, abs=1e-6)
    assert result.unmet_kwh == pytest.approx([0.0], abs=1e-6)


QUARTER = timedelta(minutes=15)


def test_a_spread_of_departures_is_planned_to_the_latest_each_slot_weighed_by_presence() -> None:
    """A learnt departure's spread (`Session.departures`): the LP gets `departures.presence`
    per slot (the rule the benchmarked MPC plans with) and the session's stay ends at its
    latest departure plus the blur; a session with an explicit departure has presence 1."""
    spread = (NOW + 4 * QUARTER, NOW + 5 * QUARTER, NOW + 6 * QUARTER)
    learnt = replace(vehicle(0, 11.0, 1), departure=spread[0], departures=spread)
    explicit = replace(vehicle(1, 11.0, 4), departure=NOW + 16 * QUARTER)
    snapshot = site((Circuit(SITE, max_power_kw=11.0),), (evse(0), evse(1)), (learnt, explicit))
    horizon = Horizon(NOW, QUARTER, 20)
    problem = fleet_problem(snapshot, horizon)
    assert problem.end_slot.tolist() == [horizon.index(spread[-1] + BLUR), 16]
    assert problem.presence[0] == pytest.approx(presence(spread, NOW, QUARTER, 20))
    assert problem.presence[1] == pytest.approx(np.ones(20))
    # Driver 0 may leave from 50 minutes on: the circuit is theirs until their 11 kWh is in.
    result = schedule(snapshot, horizon)
    assert result.power_kw[0, :4] == pytest.approx([11.0] * 4, abs=1e-6)
    assert result.power_kw[1, :4] == pytest.approx([0.0] * 4, abs=1e-6)
    assert result.unmet_kwh == pytest.approx([0.0, 0.0], abs=1e-6)


def test_without_a_spread_the_lp_has_no_presence_and_is_the_one_before() -> None:
    snapshot = site(
        (Circuit(SITE, max_power_kw=11.0),),
        (evse(0), evse(1)),
        (vehicle(0, 11.0, 1), vehicle(1, 11.0, 4)),
    )
    problem = fleet_problem(snapshot, Horizon(NOW, QUARTER, 20))
    assert problem.presence.size == 0


def test_presence_in_the_slot_under_way_counts_only_what_is_left_of_it() -> None:
    """Now is 5 minutes into the slot, the one departure 20 minutes after the slot's start,
    blurred 10 minutes either side: of the 10 minutes left, 5 surely there and 5 on the ramp
    (1 to 0.75, 0.875 on average), 0.9375 in all."""
    now = NOW + timedelta(minutes=5)
    leaving = replace(
        vehicle(0, 5.0, 1),
        departure=NOW + timedelta(minutes=20),
        departures=(NOW + timedelta(minutes=20),),
    )
    snapshot = replace(site((Circuit(SITE, max_power_kw=11.0),), (evse(0),), (leaving,)), now=now)
    problem = fleet_problem(snapshot, Horizon(NOW, QUARTER, 4))
    assert problem.presence[0, 0] == pytest.approx(0.9375)
    assert problem.end_slot.tolist() == [2]  # gone by 30 minutes
