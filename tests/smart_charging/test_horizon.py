from datetime import timedelta

import numpy as np
import pytest

from chargeyard.smart_charging.horizon import Horizon, PriceCap, V2gWindow, schedule
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
