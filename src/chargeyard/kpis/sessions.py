"""Session statistics per day, week or month: counts, energy, average duration and energy per
session, failed sessions. Pure (the endpoint reads the rows, `repository.py`).

A session counts in the interval its start falls in. Intervals are calendar days, ISO weeks
(Monday 00:00) or months in a time zone (UTC, or the location's: a day that crosses a change
of daylight saving time is 23 or 25 hours long); the first and last are cut to the period asked
for. A session
*failed* when it was not authorized (`auth_status` other than Accepted) or ended having delivered
no energy. Averages are over finished sessions.
"""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def _floor(day: date, interval: Interval) -> date:
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day


def _next(day: date, interval: Interval) -> date:
    if interval is Interval.DAY:
        return day + timedelta(days=1)
    if interval is Interval.WEEK:
        return day + timedelta(days=7)
    year, month = divmod(day.month, 12)
    return day.replace(year=day.year + year, month=month + 1)


def _midnight(day: date, zone: tzinfo) -> datetime:
    """The instant a local day begins. A midnight that a change to summer time skips is read
    with the offset before the change: the instant of the change."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_start(instant: datetime, zone: tzinfo) -> datetime:
    """The instant the local day holding `instant` began (never after it)."""
    return _midnight(instant.astimezone(zone).date(), zone)


def next_day_start(instant: datetime, zone: tzinfo) -> datetime:
    """The first local midnight after `instant`."""
    day = instant.astimezone(zone).date() + timedelta(days=1)
    while (found := _midnight(day, zone)) <= instant:  # midnight repeated by a clock change
        day += timedelta(days=1)
    return found


def intervals(
    start: datetime,
    end: datetime,
    interval: Interval,
    at_most: int | None = None,
    zone: tzinfo = UTC,
) -> list[tuple[datetime, datetime]]:
    """[start, end) cut at the calendar boundaries of `zone`; only the first `at_most` + 1 when
    that is given (enough to tell the period holds too many, without cutting millennia into
    days). Raises OverflowError or ValueError when a boundary falls beyond the calendar (year 1
    or 9999)."""
    found: list[tuple[datetime, datetime]] = []
    begin = start
    while begin < end and (at_most is None or len(found) <= at_most):
        boundary = _next(_floor(begin.astimezone(zone).date(), interval), interval)
        # A zone that turns its clocks back over midnight repeats the end of a day: the next
        # midnight read once may lie before `begin`, and the one after it does not.
        while (finish := _midnight(boundary, zone)) <= begin:
            boundary = _next(boundary, interval)
        finish = min(finish, end)
        found.append((begin, finish))
        begin = finish
    return found


@dataclass(frozen=True)
class SessionFacts:
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: int | None
    accepted: bool

    @property
    def failed(self) -> bool:
        return not self.accepted or (self.stopped_at is not None and not self.energy_wh)


@dataclass(frozen=True)
class SessionStats:
    start: datetime
    end: datetime
    sessions: int = 0
    finished: int = 0
    failed: int = 0
    energy_wh: int = 0
    duration_s: float = 0.0

    @property
    def average_duration_s(self) -> float | None:
        return None if not self.finished else self.duration_s / self.finished

    @property
    def average_energy_wh(self) -> float | None:
        return None if not self.finished else self.energy_wh / self.finished

    @property
    def failed_rate(self) -> float | None:
        return None if not self.sessions else self.failed / self.sessions

    def add(self, session: SessionFacts) -> "SessionStats":
        done = session.stopped_at is not None
        return SessionStats(
            self.start,
            self.end,
            self.sessions + 1,
            self.finished + done,
            self.failed + session.failed,
            self.energy_wh + (session.energy_wh or 0),
            self.duration_s
            + (
                (session.stopped_at - session.started_at).total_seconds()
                if session.stopped_at
                else 0
            ),
        )


def session_stats(
    sessions: Iterable[SessionFacts], periods: Sequence[tuple[datetime, datetime]]
) -> list[SessionStats]:
    """Each period's statistics; sessions starting outside every period are left out."""
    stats = [SessionStats(begin, finish) for begin, finish in periods]
    starts = [begin for begin, _ in periods]
    for session in sessions:
        index = bisect_right(starts, session.started_at) - 1
        if index >= 0 and session.started_at < stats[index].end:
            stats[index] = stats[index].add(session)
    return stats


def total(stats: Sequence[SessionStats], start: datetime, end: datetime) -> SessionStats:
    summed = SessionStats(start, end)
    for part in stats:
        summed = SessionStats(
            start,
            end,
            summed.sessions + part.sessions,
            summed.finished + part.finished,
            summed.failed + part.failed,
            summed.energy_wh + part.energy_wh,
            summed.duration_s + part.duration_s,
        )
    return summed
