"""When a driver is likely to leave, learnt from their own past stays at the site.

A session's departure decides how early the plan must give it energy (`horizon`, `online`).
Most sessions come with no departure at all (a 1.6 station never reports one) and drivers who
type one round it; a driver who leaves before the plan expected takes away the energy planned
after their departure. Drivers have habits, so their past stays say more than a site-wide
guess: a commuter who leaves at 17:30 whatever time they arrived, a visitor who stays about
two hours.

`learnt_departure` turns a driver's past stays into an estimate for a session that has just
begun. It fits a line through the stays, departure against arrival (both as times of day, from
the midnight before the arrival in the site's time zone, so a van back in the evening and gone
the next morning counts as e.g. 30.5 h), its slope kept between 0 (a commuter who leaves by
the clock whatever time they came) and 1 (a visitor who stays a set time), and puts today's
departure on the line at today's arrival, spread as the stays are around the line (`_habit`).
A driver who leaves partly by the clock (half an hour later for an hour later in the morning)
is then on their own line, where the former rule had to pick one habit or the other.

The quantile is low (conservative, `DeparturePolicy.quantile`): the plan is then finished by
the time the driver has left in that share of their likely departures. A driver with too few
past stays gets the same estimate from every driver's stays at the site, and with too few of
those there is no estimate (the session is planned to the horizon's end, as before).

`learnt_departures` gives the whole spread instead of one quantile (`POINTS` equally likely
departures: quantiles of a normal around the line), and `presence`
the chance, period by period, that the driver is still there: a plan that weighs each kWh by
that chance (`online.OnlineState.presence`) copes with a driver's day-to-day spread better
than one planned to a single estimate (performance.md, "Seventh round"; the line and the
normal: "Eighth round").

Only stays that ended before the session began enter: nothing of the future, nor of the
session itself. An explicit departure (an operator's, a planned route's, the vehicle's usual
one, the EV's own) always wins over a learnt one: the caller asks for this one only when it
has none. Pure: values in, a time out; the controller reads the past stays once per session.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from statistics import NormalDist

import numpy as np

from chargeyard.smart_charging.electrical import FloatArray

MIN_STAY = timedelta(minutes=15)
"""No estimate is sooner than this after the arrival (one control slot)."""

BLUR = timedelta(minutes=10)
"""`presence` blurs each departure this much either side: a next departure falls between
past ones as well as on them. On the synthetic workplace (performance.md, "Seventh round")
10 minutes served 1-6 more sessions fully than no blur, energy within 0.11 points either way."""


POINTS = 41
"""Departures `learnt_departures` gives for a driver with 3 stays or more: quantiles of the
normal their habit puts today's departure in (`_habit`), 1/82 to 81/82."""


@dataclass(frozen=True)
class Stay:
    """A past session: when it began and when it ended (timezone-aware)."""

    arrival: datetime
    departure: datetime


@dataclass(frozen=True)
class DeparturePolicy:
    quantile: float = 0.25
    """Share of past stays that ended by the estimate: below 0.5 plans to finish early."""
    min_stays: int = 3
    """A driver's own estimate needs this many past stays; with fewer, the site's is used."""
    site_min_stays: int = 10
    """The site-wide estimate needs this many past stays of any driver."""
    recent: int = 20
    """Only a driver's latest stays count (habits change); the site's latest `site_recent`."""
    site_recent: int = 200


def learnt_departure(
    arrival: datetime,
    own: Sequence[Stay],
    site: Sequence[Stay],
    zone: tzinfo,
    policy: DeparturePolicy = DeparturePolicy(),
    now: datetime | None = None,
) -> datetime | None:
    """The departure to plan a session that began at `arrival` with: from the driver's `own`
    past stays when they have `min_stays` that ended before `arrival`, else from the `site`'s;
    None when neither has enough. Days begin at midnight in `zone`. Given `now`, the driver is
    known to be still there: only the likely departures later than `now` count (`estimate`)."""
    stays = _stays_to_learn_from(arrival, own, site, policy)
    return None if stays is None else estimate(arrival, stays, zone, policy.quantile, now)


def _stays_to_learn_from(
    arrival: datetime, own: Sequence[Stay], site: Sequence[Stay], policy: DeparturePolicy
) -> Sequence[Stay] | None:
    """The driver's latest stays that ended before `arrival` when there are `min_stays` of
    them, else the site's when it has `site_min_stays`, else None."""
    mine = _before(own, arrival, policy.recent)
    if len(mine) >= policy.min_stays:
        return mine
    everyone = _before(site, arrival, policy.site_recent)
    return everyone if len(everyone) >= policy.site_min_stays else None


def estimate(
    arrival: datetime,
    stays: Sequence[Stay],
    zone: tzinfo,
    quantile: float,
    now: datetime | None = None,
) -> datetime:
    """The `quantile` of the departures the stays' habit suggests (`_habit`) for a session
    beginning at `arrival`; at least `MIN_STAY` after it.

    A driver still there at `now` is past every departure before it: the quantile is taken
    over the later ones, and with none left the estimate is `MIN_STAY` from now."""
    since_arrival = _since_arrival(arrival, stays, zone, now)
    earliest = arrival if now is None or now <= arrival else now
    if not since_arrival.size:
        return earliest + MIN_STAY
    at = arrival + timedelta(seconds=float(np.quantile(since_arrival, quantile)))
    return max(at, earliest + MIN_STAY)


def learnt_departures(
    arrival: datetime,
    own: Sequence[Stay],
    site: Sequence[Stay],
    zone: tzinfo,
    policy: DeparturePolicy = DeparturePolicy(),
    now: datetime | None = None,
) -> tuple[datetime, ...] | None:
    """Every departure the past stays `learnt_departure` would use suggest, earliest first
    (equally likely): the driver's spread rather than one quantile of it. The same stays (the
    driver's, else the site's, else None), the same habit (`_habit`) and,
    given `now`, only the departures later than it; none is sooner than `MIN_STAY` after the
    arrival or `now`, and with none left the one departure is `MIN_STAY` from now."""
    mine = _stays_to_learn_from(arrival, own, site, policy)
    if mine is None:
        return None
    earliest = (arrival if now is None or now <= arrival else now) + MIN_STAY
    since_arrival = np.sort(_since_arrival(arrival, mine, zone, now))
    if not since_arrival.size:
        return (earliest,)
    return tuple(max(arrival + timedelta(seconds=float(s)), earliest) for s in since_arrival)


def presence(
    departures: Sequence[datetime],
    start: datetime,
    period: timedelta,
    periods: int,
    blur: timedelta = BLUR,
) -> FloatArray:
    """For each of `periods` periods from `start`, the expected share of it the driver is
    still plugged in, the driver leaving at one of `departures` with equal chances, each
    blurred evenly over `blur` either side (never before `start`: the driver is there now):
    1 before the earliest (less the blur), 0 from the latest (plus the blur) on, never rising. A kWh planned in a period is
    delivered with that chance (`online.OnlineState.presence`)."""
    if not departures:
        return np.ones(periods)
    seconds = period.total_seconds()
    at = np.array([(d - start).total_seconds() / seconds for d in departures])
    half = np.clip(np.minimum(blur.total_seconds() / seconds, at), 0.0, None)[:, None]
    gap = at[:, None] - np.arange(periods, dtype=np.float64)[None, :]
    sharp = np.clip(gap, 0.0, 1.0)
    blurred = (_ramp(gap + half) - _ramp(gap - half)) / np.where(half > 0, 2 * half, 1.0)
    result: FloatArray = np.where(half > 0, blurred, sharp).mean(axis=0)
    return result


def _ramp(y: FloatArray) -> FloatArray:
    """The integral of clip(u, 0, 1) from -inf to y."""
    ramp: FloatArray = np.where(y <= 0, 0.0, np.where(y < 1, y * y / 2, y - 0.5))
    return ramp


def _since_arrival(
    arrival: datetime, stays: Sequence[Stay], zone: tzinfo, now: datetime | None
) -> FloatArray:
    """The departures the stays suggest for a session beginning at `arrival` (`_habit`), in
    seconds after it; given `now` after the arrival, only those later than it."""
    since_arrival = _habit(arrival, stays, zone)
    if now is not None and now > arrival:
        since_arrival = since_arrival[since_arrival > (now - arrival).total_seconds()]
    return since_arrival


def _habit(arrival: datetime, stays: Sequence[Stay], zone: tzinfo) -> FloatArray:
    """Today's departure as the stays' habit puts it: `POINTS` equally likely departures, in
    seconds after `arrival`.

    A line through the stays: departure = c + b x arrival, both measured from the midnight
    before the arrival, b in [0, 1] fitted by least squares. b = 0 is a driver who leaves by
    the clock whatever time they came, b = 1 one who stays a set time, in between a bit of both
    (outside [0, 1] a slope means no habit: from ten stays whose arrivals vary by 20 minutes
    a fitted slope is off by about 0.5, so it is kept to what a habit can be). Today's
    departure is then normal around the line at today's arrival, its spread the stays' around
    the line (n - 2 degrees of freedom, widened by sqrt(1 + 1/n) for the line's own error),
    taken at `POINTS` evenly spaced quantiles: smoother than the stays themselves, and a next
    departure may fall later than any before. With fewer than 3 stays (no spread to measure)
    the stays' own departures on the line count. When the line puts the departure before
    today's arrival (a commuter who came after their usual departure), the stays count by
    duration (b = 1). No stays, no departures."""
    if not stays:
        return np.empty(0)
    midnight = np.array([_midnight(s.arrival, zone).timestamp() for s in stays])
    came = np.array([s.arrival.timestamp() for s in stays]) - midnight
    left = np.array([s.departure.timestamp() for s in stays]) - midnight
    today = (arrival - _midnight(arrival, zone)).total_seconds()
    mean_came, mean_left = float(np.mean(came)), float(np.mean(left))
    spread = float(np.var(came))
    covariance = float(np.mean((came - mean_came) * (left - mean_left)))
    slope = 1.0 if spread <= 0 else float(np.clip(covariance / spread, 0.0, 1.0))
    if mean_left + slope * (today - mean_came) <= today:
        slope = 1.0
    centre = mean_left + slope * (today - mean_came) - today
    off_line = left - mean_left - slope * (came - mean_came)
    n = len(stays)
    if n < 3:
        on_line: FloatArray = centre + off_line
        return on_line
    sd = float(np.sqrt(np.sum(off_line**2) / (n - 2) * (1 + 1 / n)))
    if sd <= 0:
        return np.full(POINTS, centre)
    normal = NormalDist(centre, sd)
    return np.array([normal.inv_cdf((i + 0.5) / POINTS) for i in range(POINTS)])


def _before(stays: Sequence[Stay], arrival: datetime, recent: int) -> list[Stay]:
    """The latest `recent` stays that ended by `arrival` (and lasted at all)."""
    ended = [s for s in stays if s.arrival < s.departure <= arrival]
    ended.sort(key=lambda s: (s.departure, s.arrival))
    return ended[-recent:] if recent > 0 else []


def _midnight(at: datetime, zone: tzinfo) -> datetime:
    local = at.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
