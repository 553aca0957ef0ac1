"""The past stays each running session's departure is learnt from, read once per session.

A session's past (its driver's stays at the site that ended before it began, and the site's)
does not change while it runs, so the control loop reads it when it first sees the session
(two bounded queries: the driver's latest `DeparturePolicy.recent` stays and the site's
latest `site_recent`) and keeps it for the later steps; each step then only computes the
estimate (`smart_charging.departures`, which also knows the driver is still there now): the
point estimate (`learnt_departure`, the one the what-if plan shows) and the spread the plan
weighs its slots by (`learnt_departures`, the same stays). The memory is bounded: the oldest
sessions are forgotten first and read again if still running.
"""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from chargeyard.load_management.repository import SiteRepository
from chargeyard.smart_charging.departures import (
    DeparturePolicy,
    Stay,
    learnt_departure,
    learnt_departures,
)
from chargeyard.transactions.models import Transaction

REMEMBERED = 10_000
"""Sessions whose past is kept: well above the sessions running at once on one worker."""

Past = tuple[tuple[Stay, ...], tuple[Stay, ...]]
"""A session's driver's past stays and the site's."""


@dataclass(frozen=True)
class Learnt:
    """A session's learnt departure: the point estimate (`DeparturePolicy.quantile` of the likely
    departures) and every likely departure it is taken from, earliest first (the spread)."""

    departure: datetime
    spread: tuple[datetime, ...]


class LearntDepartures:
    def __init__(self, policy: DeparturePolicy = DeparturePolicy()) -> None:
        self.policy = policy
        self._past: OrderedDict[tuple[int, str | None], Past] = OrderedDict()
        self.reads = 0
        """Sessions whose past was read from the database (for tests and diagnostics)."""

    async def of(
        self,
        site: SiteRepository,
        station_ids: Sequence[str],
        transactions: Sequence[Transaction],
        zone: tzinfo,
        now: datetime,
    ) -> dict[int, Learnt]:
        """Each session's learnt departure and its spread (by transaction id), for those that
        have one: both from the same stays, only the departures after `now` counting."""
        await self._read(site, station_ids, transactions)
        found = {}
        for tx in transactions:
            own, everyone = self._past[(tx.id, tx.id_tag)]
            at = learnt_departure(tx.started_at, own, everyone, zone, self.policy, now)
            spread = learnt_departures(tx.started_at, own, everyone, zone, self.policy, now)
            if at is not None and spread is not None:
                found[tx.id] = Learnt(at, spread)
        return found

    async def _read(
        self, site: SiteRepository, station_ids: Sequence[str], transactions: Sequence[Transaction]
    ) -> None:
        new = [tx for tx in transactions if (tx.id, tx.id_tag) not in self._past]
        for key in [(tx.id, tx.id_tag) for tx in transactions if (tx.id, tx.id_tag) in self._past]:
            self._past.move_to_end(key)
        if not new:
            return
        latest = max(tx.started_at for tx in new)
        rows = await site.past_stays(station_ids, None, latest, self.policy.site_recent)
        everyone = _stays(rows)
        for tx in new:
            own: tuple[Stay, ...] = ()
            if tx.id_tag:
                mine = await site.past_stays(
                    station_ids, tx.id_tag, tx.started_at, self.policy.recent
                )
                own = _stays(mine)
            self._past[(tx.id, tx.id_tag)] = (own, everyone)
            self.reads += 1
        while len(self._past) > REMEMBERED:
            self._past.popitem(last=False)


def _stays(rows: Sequence[tuple[datetime, datetime]]) -> tuple[Stay, ...]:
    return tuple(Stay(start, stop) for start, stop in rows)
