"""A session cut into segments within which nothing a tariff looks at changes.

Boundaries are the meter readings, the charging state changes and the restriction boundaries
(`restrictions.boundaries`). Inside a segment the energy flows at one rate (the readings are
interpolated linearly), so its average power is the power throughout, and the state is one.
Cutting a segment in two at any instant changes no total: that is what makes a session's cost
independent of how its evidence was sampled.
"""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from functools import cached_property

from chargeyard.costing.evidence import ChargingState, Evidence, seconds


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    state: ChargingState
    wh_before: Fraction  # delivered before the segment
    wh: Fraction  # delivered in it

    @cached_property
    def seconds(self) -> Fraction:
        return seconds(self.end - self.start)

    @cached_property
    def power_kw(self) -> Fraction:
        span = self.seconds
        return Fraction(0) if span == 0 else self.wh / span * 3600 / 1000


def segments(
    evidence: Evidence, cuts: Iterable[datetime] = (), *, at_readings: bool = True
) -> list[Segment]:
    """`at_readings=False` leaves the readings out of the cuts: only power restrictions need
    a segment's power to be one, and fewer segments cost less (the energy of each is read from
    the same curve, so the totals are the same)."""
    start, end = evidence.started_at, evidence.ended_at
    instants = {start, end}
    if at_readings:
        instants |= {p.at for p in evidence.meter}
    instants |= {c.at for c in evidence.states}
    instants |= set(cuts)
    ordered = sorted(at for at in instants if start <= at <= end)
    found = []
    for left, right in itertools.pairwise(ordered):
        before = evidence.energy_at(left)
        found.append(
            Segment(
                left, right, evidence.state_at(left), before, evidence.energy_at(right) - before
            )
        )
    return found
