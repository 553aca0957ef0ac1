"""The site connection's baseload and solar in the plan's view and in the fail-safe view, and
the defaults sized in them: fail-safe shares plus the baseload never pass the site
connection's limit less its buffer; solar never raises a fail-safe share; idle defaults and
sessions fit what is left now."""

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.defaults import IDLE_STEP_KW, fail_safe_shares, idle_limits
from chargeyard.smart_charging.horizon import Horizon
from chargeyard.smart_charging.site_connection import firm, live, reading_now
from chargeyard.smart_charging.snapshot import (
    CapacityWindow,
    Circuit,
    CircuitId,
    SiteSnapshot,
    compile_constraints,
)
from tests.smart_charging.factories import NOW, evse, session, site

SITE, SUB = CircuitId("site"), CircuitId("sub")
EPS = 1e-6


def _snapshot(
    limit_kw: float, buffer_kw: float, max_kw: list[float], window_kw: float | None = None
) -> SiteSnapshot:
    windows = ()
    if window_kw is not None:
        windows = (CapacityWindow(NOW - timedelta(hours=1), NOW + timedelta(hours=1), window_kw),)
    root = Circuit(SITE, max_power_kw=limit_kw, buffer_kw=buffer_kw, windows=windows)
    evses = tuple(evse(i, max_kw=kw) for i, kw in enumerate(max_kw))
    return site((root,), evses, ())


def _headroom(snapshot: SiteSnapshot) -> float:
    """The site connection's kW limit now, buffer and windows applied."""
    root = next(c for c in snapshot.circuits if c.id == SITE)
    value = root.power_limit(NOW)
    assert value is not None
    return value


@settings(max_examples=150, deadline=None)
@given(
    limit=st.floats(0, 200),
    buffer=st.floats(0, 5),
    window=st.none() | st.floats(0, 200),
    max_kw=st.lists(st.floats(1.4, 50), min_size=1, max_size=10),
    baseload=st.floats(-50, 300),
    solar=st.floats(0, 100),
)
def test_fail_safe_shares_and_the_baseload_stay_within_the_limit_less_its_buffer(
    limit: float,
    buffer: float,
    window: float | None,
    max_kw: list[float],
    baseload: float,
    solar: float,
) -> None:
    snapshot = _snapshot(limit, buffer, max_kw, window)
    shares = fail_safe_shares(firm(snapshot, SITE, baseload))
    # What the shares may take: the limit (windows and buffer applied) less the baseload; a
    # baseload past the limit leaves nothing, and a negative one (power fed in) frees nothing.
    room = max(0.0, _headroom(snapshot) - max(0.0, baseload))
    assert sum(shares.values()) <= room + EPS
    # Equal EVSEs, none at its maximum: they share all of it (the limit is not left unused).
    assert all(v >= 0 for v in shares.values())
    # Solar is no argument of the fail-safe view: the live view with solar gives more or as
    # much, never the fail-safe shares.
    with_solar = fail_safe_shares(live(snapshot, SITE, solar, baseload))
    assert sum(with_solar.values()) + EPS >= sum(shares.values())


@settings(max_examples=100, deadline=None)
@given(
    limit_a=st.floats(0, 250),
    buffer_a=st.floats(0, 10),
    sub_kw=st.none() | st.floats(0, 60),
    max_kw=st.lists(st.floats(1.4, 50), min_size=1, max_size=10),
    baseload=st.floats(0, 200),
)
def test_fail_safe_shares_and_the_baseload_stay_within_a_limit_in_amps(
    limit_a: float,
    buffer_a: float,
    sub_kw: float | None,
    max_kw: list[float],
    baseload: float,
) -> None:
    """A site connection limited per phase, three-phase EVSEs (half under a sub-circuit when
    there is one): on each line the shares' current and the baseload's (an even load over the
    three phases) stay within the limit less its buffer."""
    root = Circuit(SITE, max_current_a=limit_a, buffer_a=buffer_a, phases=3)
    circuits = (root,) if sub_kw is None else (root, Circuit(SUB, SITE, max_power_kw=sub_kw))
    evses = tuple(
        evse(i, SUB if sub_kw is not None and i % 2 else SITE, max_kw=kw)
        for i, kw in enumerate(max_kw)
    )
    shares = fail_safe_shares(firm(site(circuits, evses, ()), SITE, baseload))
    amps_per_kw = 1000.0 / (3 * 230.0)
    room_a = max(0.0, limit_a - buffer_a - baseload * amps_per_kw)
    assert sum(shares.values()) * amps_per_kw <= room_a + EPS
    if sub_kw is not None:
        assert sum(v for e, v in shares.items() if int(e[1:]) % 2) <= sub_kw + EPS


def test_a_baseload_lowers_fail_safe_shares_and_solar_does_not_raise_them() -> None:
    snapshot = _snapshot(22.0, 1.0, [22.0, 22.0])
    assert fail_safe_shares(firm(snapshot, SITE, 0.0)) == pytest.approx({"e0": 10.5, "e1": 10.5})
    assert fail_safe_shares(firm(snapshot, SITE, 7.0)) == pytest.approx({"e0": 7.0, "e1": 7.0})
    # Power fed in (a negative net baseload) may stop with the server gone: it frees nothing.
    assert fail_safe_shares(firm(snapshot, SITE, -5.0)) == pytest.approx({"e0": 10.5, "e1": 10.5})
    # The live plan may use solar now (a step follows every reading).
    assert fail_safe_shares(live(snapshot, SITE, 8.0, 7.0)) == pytest.approx(
        {"e0": 11.0, "e1": 11.0}
    )


def test_baseload_counts_under_a_tighter_capacity_window() -> None:
    """The window (10 kW) binds, not the 50 kW connection: the baseload comes off the window,
    as the fleet LP's per-slot limits do. Before, only the static limit was lowered, so a
    baseload under a curtailment was ignored."""
    snapshot = _snapshot(50.0, 0.0, [22.0, 22.0], window_kw=10.0)
    assert fail_safe_shares(firm(snapshot, SITE, 4.0)) == pytest.approx({"e0": 3.0, "e1": 3.0})
    assert fail_safe_shares(live(snapshot, SITE, 0.0, 4.0)) == pytest.approx({"e0": 3.0, "e1": 3.0})
    # Solar surplus raises the window too (the net import is what the window bounds).
    assert fail_safe_shares(live(snapshot, SITE, 6.0, 0.0)) == pytest.approx({"e0": 8.0, "e1": 8.0})


def test_baseload_counts_against_a_site_connection_limited_in_amps() -> None:
    """A connection limited to 32 A per phase (3 x 230 V): 6.9 kW of baseload is 10 A on each
    line, leaving 22 A, 15.18 kW for two three-phase EVSEs. Solar raises no limit in A."""
    root = Circuit(SITE, max_current_a=32.0, phases=3)
    snapshot = site((root,), (evse(0, max_kw=22.0), evse(1, max_kw=22.0)), ())
    shares = fail_safe_shares(firm(snapshot, SITE, 6.9))
    assert sum(shares.values()) == pytest.approx(22 * 3 * 0.230, abs=0.01)
    assert fail_safe_shares(live(snapshot, SITE, 20.0, 0.0)) == pytest.approx(
        fail_safe_shares(snapshot)
    )


def test_a_sub_circuits_limit_is_left_alone() -> None:
    """Baseload is the site connection's: a sub-circuit's own limit is not lowered by it."""
    root = Circuit(SITE, max_power_kw=100.0)
    sub = Circuit(SUB, SITE, max_power_kw=10.0)
    snapshot = site((root, sub), (evse(0, "sub", max_kw=22.0),), ())
    assert fail_safe_shares(firm(snapshot, SITE, 60.0)) == pytest.approx({"e0": 10.0})
    assert fail_safe_shares(firm(snapshot, SITE, 95.0)) == pytest.approx({"e0": 5.0})


@settings(max_examples=150, deadline=None)
@given(
    limit=st.floats(1, 120),
    buffer=st.floats(0, 3),
    busy=st.lists(st.booleans(), min_size=1, max_size=8),
    baseload=st.floats(0, 150),
    solar=st.floats(0, 60),
)
def test_sessions_and_idle_defaults_fit_what_the_site_connection_leaves_now(
    limit: float, buffer: float, busy: list[bool], baseload: float, solar: float
) -> None:
    """As the planner sizes them: sessions allocated in the live view, idle defaults in the
    same view up to their fail-safe shares (sized in the firm view)."""
    evses = tuple(evse(i, max_kw=22.0) for i in range(len(busy)))
    sessions = tuple(session(i) for i, b in enumerate(busy) if b)
    snapshot = site((Circuit(SITE, max_power_kw=limit, buffer_kw=buffer),), evses, sessions)
    now_view = live(snapshot, SITE, solar, baseload)
    fail_safe = fail_safe_shares(firm(snapshot, SITE, baseload))
    power = allocate(now_view).power_kw
    idle = idle_limits(now_view, power, fail_safe)
    assert set(idle) == {e.id for e, b in zip(evses, busy, strict=True) if not b}
    assert all(idle[e] <= fail_safe[e] + EPS for e in idle)
    room = max(0.0, limit - buffer - baseload + solar)
    assert sum(power.values()) + sum(idle.values()) <= room + EPS
    assert all(round(v / IDLE_STEP_KW, 6).is_integer() for v in idle.values())


def test_live_and_firm_views_are_fixed_loads_on_the_site_connection() -> None:
    snapshot = _snapshot(22.0, 0.0, [11.0])
    loaded = compile_constraints(firm(snapshot, SITE, 5.0))
    assert [c.offset for c in loaded] == [pytest.approx(5.0)]
    assert compile_constraints(live(snapshot, SITE, 3.0, 5.0))[0].offset == pytest.approx(2.0)
    surplus = compile_constraints(live(snapshot, SITE, 8.0, 5.0))[0]
    assert (surplus.limit, surplus.offset) == (pytest.approx(25.0), 0)
    assert live(snapshot, SITE, 2.0, 2.0) is snapshot


def test_reading_now_is_the_slot_under_way() -> None:
    horizon = Horizon(NOW - timedelta(minutes=20), timedelta(minutes=15), 4)
    series = np.array([1.0, 2.0, 3.0, 4.0])
    assert reading_now(series, horizon, NOW) == 2.0
    assert reading_now(np.zeros(0), horizon, NOW) == 0.0
    assert reading_now(series, horizon, NOW + timedelta(hours=5)) == 4.0
