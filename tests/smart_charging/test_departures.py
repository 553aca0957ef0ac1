"""Departures learnt from a driver's past stays (`smart_charging.departures`)."""

from datetime import UTC, datetime, timedelta
from statistics import NormalDist
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging.departures import (
    MIN_STAY,
    POINTS,
    DeparturePolicy,
    Stay,
    estimate,
    learnt_departure,
    learnt_departures,
    presence,
)

DAY0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: float) -> datetime:
    return DAY0 + timedelta(days=day, hours=hour)


def stay(day: int, arrives: float, leaves: float) -> Stay:
    return Stay(at(day, arrives), at(day, leaves))


def test_a_commuter_who_leaves_by_the_clock_is_expected_at_their_usual_time() -> None:
    """Arrivals vary by hours, departures by minutes and not with the arrival: the line's
    slope is 0, so a late arrival does not push the estimate later."""
    own = [stay(0, 7.0, 17.25), stay(1, 8.0, 16.75), stay(2, 9.0, 16.75), stay(3, 10.0, 17.25)]
    got = learnt_departure(at(7, 11.0), own, [], UTC, DeparturePolicy(quantile=0.5))
    assert got is not None
    assert abs(got - at(7, 17.0)) < timedelta(seconds=1)


def test_a_driver_who_leaves_partly_by_the_clock_is_on_the_line_between() -> None:
    """Each hour later in the morning, half an hour later in the evening (slope 0.5): today's
    departure is on that line, whatever the arrival, not the clock's nor the stay's."""
    own = [stay(d, 7.0 + d, 16.0 + 0.5 * d) for d in range(4)]
    for arrives, leaves in ((7.5, 16.25), (9.0, 17.0), (11.0, 18.0)):
        got = learnt_departure(at(7, arrives), own, [], UTC, DeparturePolicy(quantile=0.5))
        assert got is not None
        assert abs(got - at(7, leaves)) < timedelta(seconds=1)


def test_a_visitor_who_stays_two_hours_is_expected_two_hours_after_arriving() -> None:
    own = [stay(0, 9.0, 11.0), stay(1, 14.0, 16.0), stay(2, 11.5, 13.5)]
    got = learnt_departure(at(7, 13.0), own, [], UTC, DeparturePolicy(quantile=0.5))
    assert got == at(7, 15.0)


def test_days_begin_at_midnight_in_the_sites_zone() -> None:
    """A Paris driver leaves at 18:00 local (17:00 UTC in winter), arriving at different times:
    by the clock in Paris. An overnight van (back at 18:00, gone at 06:30) counts its
    departure from the midnight before its arrival."""
    own = [stay(0, 7.0, 17.0), stay(1, 9.0, 17.0), stay(2, 8.0, 17.0)]
    assert learnt_departure(at(7, 6.0), own, [], PARIS) == at(7, 17.0)
    vans = [stay(d, 17.0 + d % 3, 30.5) for d in range(4)]
    assert learnt_departure(at(7, 18.5), vans, [], UTC) == at(8, 6.5)


def test_a_driver_with_too_little_history_gets_the_sites_estimate() -> None:
    policy = DeparturePolicy(quantile=0.5, min_stays=3, site_min_stays=4)
    own = [stay(0, 8.0, 10.0), stay(1, 8.0, 10.0)]
    site = [stay(d, 8.0, 16.0) for d in range(4)]
    assert learnt_departure(at(7, 9.0), own, site, UTC, policy) == at(7, 17.0)
    assert learnt_departure(at(7, 9.0), own, site[:3], UTC, policy) is None
    assert learnt_departure(at(7, 9.0), [], [], UTC, policy) is None


def test_a_driver_still_there_is_expected_among_their_later_departures() -> None:
    own = [stay(d, 9.0, 9.0 + hours) for d, hours in enumerate((2, 3, 4, 8))]
    policy = DeparturePolicy(quantile=0.0)
    every = learnt_departures(at(7, 9.0), own, [], UTC)
    assert every is not None and len(every) == POINTS
    assert learnt_departure(at(7, 9.0), own, [], UTC, policy) == every[0]
    later = learnt_departure(at(7, 9.0), own, [], UTC, policy, now=at(7, 12.5))
    ahead = min(d for d in every if d > at(7, 12.5))  # the earliest still ahead
    assert later == max(ahead, at(7, 12.5) + MIN_STAY)
    beyond = learnt_departure(at(7, 9.0), own, [], UTC, policy, now=at(8, 0.0))
    assert beyond == at(8, 0.0) + MIN_STAY  # longer than ever: it may end any moment


def test_only_the_latest_stays_count() -> None:
    old = [stay(d, 9.0, 18.0) for d in range(5)]
    new = [stay(d, 9.0, 11.0) for d in range(10, 13)]
    policy = DeparturePolicy(quantile=0.5, recent=3)
    assert learnt_departure(at(20, 9.0), old + new, [], UTC, policy) == at(20, 11.0)


# -- properties -----------------------------------------------------------------------------

hours = st.floats(min_value=0.0, max_value=23.0, allow_nan=False)
stays = st.lists(
    st.tuples(st.integers(0, 30), hours, st.floats(min_value=0.25, max_value=30.0)).map(
        lambda t: Stay(at(t[0], t[1]), at(t[0], t[1] + t[2]))
    ),
    max_size=30,
)
arrivals = st.tuples(st.integers(0, 40), hours).map(lambda t: at(*t))
quantiles = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=200, deadline=None)
@given(own=stays, site=stays, future=stays, arrival=arrivals, q=quantiles)
def test_nothing_that_ended_after_the_arrival_is_used(
    own: list[Stay], site: list[Stay], future: list[Stay], arrival: datetime, q: float
) -> None:
    """Adding stays that ended after the session began (the future, or the session itself)
    changes nothing."""
    policy = DeparturePolicy(quantile=q, min_stays=2, site_min_stays=3, recent=50)
    later = [s for s in future if s.departure > arrival]
    past_own = [s for s in own if s.departure <= arrival]
    past_site = [s for s in site if s.departure <= arrival]
    plain = learnt_departure(arrival, past_own, past_site, UTC, policy)
    assert learnt_departure(arrival, own + later, site + later, UTC, policy) == (
        learnt_departure(arrival, own, site, UTC, policy)
    )
    assert learnt_departure(arrival, past_own + later, past_site + later, UTC, policy) == plain
    if plain is not None:
        assert plain >= arrival + MIN_STAY


@settings(max_examples=200, deadline=None)
@given(own=stays, site=stays, arrival=arrivals)
def test_too_little_history_falls_back_to_the_site_then_to_none(
    own: list[Stay], site: list[Stay], arrival: datetime
) -> None:
    policy = DeparturePolicy(min_stays=3, site_min_stays=5)
    got = learnt_departure(arrival, own, site, UTC, policy)
    mine = [s for s in own if s.departure <= arrival]
    everyone = [s for s in site if s.departure <= arrival]
    if len(mine) >= 3:
        assert got == learnt_departure(arrival, own, [], UTC, policy)
    elif len(everyone) >= 5:
        assert got == learnt_departure(arrival, [], site, UTC, policy)
    else:
        assert got is None


@settings(max_examples=200, deadline=None)
@given(
    history=stays.filter(lambda s: len(s) > 0),
    arrival=arrivals,
    q=st.tuples(quantiles, quantiles).map(sorted),
    still=st.floats(min_value=0.0, max_value=40.0),
)
def test_a_higher_quantile_is_never_an_earlier_departure(
    history: list[Stay], arrival: datetime, q: list[float], still: float
) -> None:
    now = arrival + timedelta(hours=still)
    low = estimate(arrival, history, UTC, q[0], now)
    high = estimate(arrival, history, UTC, q[1], now)
    assert low <= high
    assert low >= now + MIN_STAY


# -- the spread of departures (`learnt_departures`, `presence`) ------------------------------


def test_the_spread_is_normal_around_the_drivers_habit() -> None:
    """Stays of 3 h, give or take an hour (arrivals varying, so by duration): today's
    departures are `POINTS` quantiles of a normal around 3 h after arriving, its spread the
    stays' (squares 1 + 1 over 2 degrees of freedom, widened by sqrt(1 + 1/4)); while the
    driver is there, only those still ahead."""
    own = [
        stay(d, arrives, arrives + hours)
        for d, arrives, hours in ((0, 8.0, 2.0), (1, 10.0, 4.0), (2, 12.0, 3.0), (3, 9.0, 3.0))
    ]
    every = learnt_departures(at(7, 11.0), own, [], UTC)
    assert every is not None and len(every) == POINTS and list(every) == sorted(every)
    hours = np.array([(d - at(7, 11.0)).total_seconds() / 3600 for d in every])
    assert hours[POINTS // 2] == pytest.approx(3.0)
    assert hours + hours[::-1] == pytest.approx(np.full(POINTS, 6.0))
    sd = float(np.sqrt(2.0 / 2 * (1 + 1 / 4)))
    assert hours[-1] == pytest.approx(3.0 + sd * NormalDist().inv_cdf(1 - 0.5 / POINTS))
    still = learnt_departures(at(7, 11.0), own, [], UTC, now=at(7, 14.0))
    soonest = at(7, 14.0) + MIN_STAY
    assert still == tuple(max(d, soonest) for d in every if d > at(7, 14.0))
    assert learnt_departures(at(7, 11.0), own[:2], [], UTC) is None


def test_presence_is_the_expected_share_of_each_period() -> None:
    """Leaving at 10:30 or at 12:00, equally likely: hourly periods from 9:00 are certain,
    then half (one driver in two gone by the middle of it: 0.5 + 0.5 x 0.5), then half."""
    hour = timedelta(hours=1)
    got = presence((at(0, 10.5), at(0, 12.0)), at(0, 9.0), hour, 4, blur=timedelta(0))
    assert got.tolist() == pytest.approx([1.0, 0.75, 0.5, 0.0])
    # Blurred by half an hour: the first leaves evenly between 10:00 and 11:00 (half of
    # 10:00-11:00 on average), the second between 11:30 and 12:30.
    blurred = presence((at(0, 10.5), at(0, 12.0)), at(0, 9.0), hour, 4, blur=hour / 2)
    assert blurred.tolist() == pytest.approx([1.0, 0.75, 0.4375, 0.0625])


@settings(max_examples=200, deadline=None)
@given(
    own=stays,
    site=stays,
    arrival=arrivals,
    still=st.floats(min_value=0.0, max_value=40.0),
)
def test_the_spread_holds_every_quantile_learnt_departure_gives(
    own: list[Stay], site: list[Stay], arrival: datetime, still: float
) -> None:
    """Same stays, same fallbacks: the lowest quantile is the earliest of the spread, the
    highest its latest; earliest first, none sooner than `MIN_STAY` from arrival or now."""
    now = arrival + timedelta(hours=still)
    low, high = (DeparturePolicy(quantile=q, min_stays=2, site_min_stays=3) for q in (0.0, 1.0))
    every = learnt_departures(arrival, own, site, UTC, low, now)
    first = learnt_departure(arrival, own, site, UTC, low, now)
    if every is None:
        assert first is None
        return
    assert list(every) == sorted(every)
    assert every[0] >= now + MIN_STAY
    assert every[0] == first
    assert every[-1] == learnt_departure(arrival, own, site, UTC, high, now)


departure_sets = st.lists(st.floats(min_value=-5.0, max_value=60.0), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(
    hours_ahead=departure_sets,
    periods=st.integers(1, 80),
    blur_min=st.sampled_from([0.0, 5.0, 10.0, 30.0]),
)
def test_presence_falls_from_certain_to_gone_and_sums_to_the_expected_stay(
    hours_ahead: list[float], periods: int, blur_min: float
) -> None:
    """In [0, 1], never rising, 1 while nobody can have left, 0 once everyone has; summed over
    the periods it is the expected time (in periods) the driver stays within them. Blurring
    never moves a departure before `start` (the driver is there now)."""
    start, period = at(3, 8.0), timedelta(minutes=15)
    departures = [start + timedelta(hours=h) for h in hours_ahead]
    blur = timedelta(minutes=blur_min)
    got = presence(departures, start, period, periods, blur)
    assert got.shape == (periods,)
    assert np.all((got >= 0.0) & (got <= 1.0 + 1e-12))
    assert np.all(np.diff(got) <= 1e-12)
    in_periods = np.array(hours_ahead) * 4
    half = np.clip(np.minimum(blur_min / 15, in_periods), 0.0, None)
    ends = np.arange(1, periods + 1)
    assert np.all(got[ends <= (in_periods - half).min()] == pytest.approx(1.0))
    assert np.all(got[ends - 1 >= (in_periods + half).max()] == 0.0)
    if np.all(in_periods + half <= periods):
        assert got.sum() == pytest.approx(np.clip(in_periods, 0.0, None).mean(), abs=1e-9)


habits = st.tuples(
    st.lists(st.integers(0, 30), min_size=3, max_size=20, unique=True),
    st.lists(st.floats(min_value=5.0, max_value=12.0), min_size=20, max_size=20),
    st.floats(min_value=1.0, max_value=10.0),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(habit=habits, today=st.floats(min_value=5.0, max_value=12.0))
def test_a_steady_habit_by_the_clock_or_by_duration_is_learnt_exactly(
    habit: tuple[list[int], list[float], float, bool], today: float
) -> None:
    """A driver who always leaves at the same time of day (whatever their arrival), or always
    after the same stay: every learnt departure is that time (once after today's arrival),
    or today's arrival plus that stay. (Stays that all began at the same time fit both habits:
    they count by duration.)"""
    days, arrivals, hours, by_clock = habit
    leaves = 12.0 + hours
    own = [
        stay(d, a, leaves if by_clock else a + hours) for d, a in zip(days, arrivals, strict=False)
    ]
    came = {a for _, a in zip(days, arrivals, strict=False)}
    if by_clock and len(came) == 1:
        hours = leaves - came.pop()
        by_clock = False
    expected = at(40, leaves if by_clock else today + hours)
    every = learnt_departures(at(40, today), own, [], UTC)
    assert every is not None
    assert all(abs(d - expected) < timedelta(seconds=1) for d in every)


@settings(max_examples=200, deadline=None)
@given(
    own=stays.filter(lambda s: len(s) >= 3),
    hours=st.tuples(st.floats(min_value=0.0, max_value=23.0), st.floats(0.0, 23.0)).map(sorted),
)
def test_a_later_arrival_is_never_expected_to_leave_earlier(
    own: list[Stay], hours: list[float]
) -> None:
    """The line's slope is in [0, 1] (by the clock at most, by duration at least): with the
    same past stays, arriving later the same day never brings the median departure forward."""
    policy = DeparturePolicy(quantile=0.5, recent=50)
    early = learnt_departure(at(40, hours[0]), own, [], UTC, policy)
    late = learnt_departure(at(40, hours[1]), own, [], UTC, policy)
    assert early is not None and late is not None
    assert late >= early - timedelta(microseconds=10)
