"""When a driver is likely to leave, learnt from their own past stays at the site.

A session's departure decides how early the plan must give it energy (`horizon`, `online`).
Most sessions come with no departure at all (a 1.6 station never reports one) and drivers who
type one round it; a driver who leaves before the plan expected takes away the energy planned
after their departure. Drivers have habits, so their past stays say more than a site-wide
guess: a commuter who leaves at 17:30 whatever time they arrived, a visitor who stays about
two hours.

`learnt_departure` turns a driver's past stays into an estimate for a session that has just
begun, in two ways, and keeps the steadier one:

- by the time of day they leave (departure measured from the midnight before their arrival,
  in the site's time zone, so a van back in the evening and gone the next morning counts as
  e.g. 30.5 h), when that is the driver's habit: its spread is the smaller of the two and its
  median falls after this arrival;
- else by how long they stay (arrival plus a quantile of past stay durations).

The quantile is low (conservative, `DeparturePolicy.quantile`): the plan is then finished by
the time the driver has left in that share of their past stays. A driver with too few past
stays gets the same estimate from every driver's stays at the site, and with too few of those
there is no estimate (the session is planned to the horizon's end, as before).

`learnt_departures` gives all of those past departures instead of one quantile, and `presence`
the chance, period by period, that the driver is still there: a plan that weighs each kWh by
that chance (`online.OnlineState.presence`) copes with a driver's day-to-day spread better
than one planned to a single estimate (performance.md, "Seventh round").

Only stays that ended before the session began enter: nothing of the future, nor of the
session itself. An explicit departure (an operator's, a planned route's, the vehicle's usual
one, the EV's own) always wins over a learnt one: the caller asks for this one only when it
has none. Pure: values in, a time out; the controller reads the past stays once per session.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

import numpy as np

from chargeyard.smart_charging.electrical import FloatArray

MIN_STAY = timedelta(minutes=15)
"""No estimate is sooner than this after the arrival (one control slot)."""

BLUR = timedelta(minutes=10)
"""`presence` blurs each past departure this much either side: a next departure falls between
past ones as well as on them. On the synthetic workplace (performance.md, "Seventh round")
10 minutes served 1-6 more sessions fully than no blur, energy within 0.11 points either way."""


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
    known to be still there: only the past departures later than `now` count (`estimate`)."""
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
    """The `quantile` of the stays' departures, by time of day or by duration (whichever
    varies less), for a session beginning at `arrival`; at least `MIN_STAY` after it.

    A driver still there at `now` is past every departure before it: the quantile is taken
    over the later ones (the share of past stays that went on at least as long), and with none
    left the estimate is `MIN_STAY` from now."""
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
    driver's, else the site's, else None), the same habit (by the clock or by duration) and,
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
    """The stays' departures in seconds after `arrival`, by time of day or by duration
    (whichever varies less, by the clock only when its median falls after the arrival);
    given `now` after the arrival, only those later than it."""
    durations = np.array([(s.departure - s.arrival).total_seconds() for s in stays])
    of_day = np.array([(s.departure - _midnight(s.arrival, zone)).total_seconds() for s in stays])
    midnight = _midnight(arrival, zone)
    by_clock = midnight + timedelta(seconds=float(np.median(of_day))) > arrival
    if by_clock and float(np.std(of_day)) < float(np.std(durations)):
        since_arrival: FloatArray = (midnight - arrival).total_seconds() + of_day
    else:
        since_arrival = durations
    if now is not None and now > arrival:
        since_arrival = since_arrival[since_arrival > (now - arrival).total_seconds()]
    return since_arrival


def _before(stays: Sequence[Stay], arrival: datetime, recent: int) -> list[Stay]:
    """The latest `recent` stays that ended by `arrival` (and lasted at all)."""
    ended = [s for s in stays if s.arrival < s.departure <= arrival]
    ended.sort(key=lambda s: (s.departure, s.arrival))
    return ended[-recent:] if recent > 0 else []


def _midnight(at: datetime, zone: tzinfo) -> datetime:
    local = at.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
