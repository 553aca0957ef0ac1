"""What the electricity a session drew cost the operator, and the margin its price left. Pure.

The energy prices are smart charging's (`energy_prices/`: time-of-use windows, per circuit or
for the whole organization). A session's energy curve (`costing/evidence.py`: the meter
readings, linear between them) is cut at every window's start and end; each stretch's energy is
priced at the most specific window in force at its start: the station's circuit, then that
circuit's parents (nearest first), then the organization-wide price; among windows of one level
the one that started first. Energy drawn while no price is in force costs nothing and is
reported apart (`priced_wh` below `energy_wh`), so a gap in the price list shows rather than
passing for cheap electricity.

The margin is what the session's price earned excluding tax minus its energy cost; tax is
passed on, and fees outside electricity (grid fees, hardware) are not Chargeyard's to know.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from chargeyard.costing.evidence import Evidence

_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class PriceWindow:
    starts_at: datetime
    ends_at: datetime
    price_per_kwh: Decimal
    rank: int  # 0: the station's own circuit, 1: its parent, ...; the organization's is last


@dataclass(frozen=True)
class EnergyCost:
    energy_wh: Fraction
    priced_wh: Fraction
    cost: Fraction

    @property
    def amount(self) -> Decimal:
        """The cost with the six decimals money is stored with."""
        exact = Decimal(self.cost.numerator) / Decimal(self.cost.denominator)
        return exact.quantize(_MICRO, ROUND_HALF_UP)


def energy_cost(evidence: Evidence, windows: Sequence[PriceWindow]) -> EnergyCost:
    start, end = evidence.started_at, evidence.ended_at
    cuts = {start, end}
    for each in windows:
        cuts |= {at for at in (each.starts_at, each.ends_at) if start < at < end}
    ordered = sorted(cuts)
    by_preference = sorted(windows, key=lambda w: (w.rank, w.starts_at))
    priced_wh, cost = Fraction(0), Fraction(0)
    for left, right in itertools.pairwise(ordered):
        wh = evidence.energy_at(right) - evidence.energy_at(left)
        window = next((w for w in by_preference if w.starts_at <= left < w.ends_at), None)
        if window is not None and wh > 0:
            priced_wh += wh
            cost += wh * Fraction(window.price_per_kwh) / 1000
    return EnergyCost(evidence.energy_at(end), priced_wh, cost)


def circuit_ranks(circuit_id: str | None, parents: dict[str, str | None]) -> dict[str | None, int]:
    """The rank of each circuit whose prices apply to a station on `circuit_id` (its own circuit
    0, its parent 1, ...) and of the organization-wide prices (key None, last)."""
    ranks: dict[str | None, int] = {}
    current = circuit_id
    while current is not None and current not in ranks:
        ranks[current] = len(ranks)
        current = parents.get(current)
    ranks[None] = len(ranks)
    return ranks
