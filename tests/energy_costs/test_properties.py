"""Guarantees of the energy cost, for random sessions and price lists: it does not depend on how
the station sampled the energy curve, and never exceeds the energy at the dearest price."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.costing.evidence import Evidence
from chargeyard.energy_costs.domain import PriceWindow, energy_cost
from tests.costing.test_properties import resampled, sessions

PROPERTIES = settings(max_examples=60, deadline=None)


@st.composite
def price_lists(draw: st.DrawFn, evidence: Evidence) -> list[PriceWindow]:
    span = int((evidence.ended_at - evidence.started_at).total_seconds())
    windows = []
    for _ in range(draw(st.integers(0, 4))):
        start = evidence.started_at + timedelta(seconds=draw(st.integers(-3600, span)))
        length = timedelta(seconds=draw(st.integers(1, span + 3600)))
        price = draw(st.decimals(min_value=0, max_value=1, places=4))
        windows.append(PriceWindow(start, start + length, price, draw(st.integers(0, 2))))
    return windows


@PROPERTIES
@given(st.data(), sessions(), st.lists(st.integers(1, 999), min_size=1, max_size=6))
def test_resampling_the_curve_changes_nothing(
    data: st.DataObject, evidence: Evidence, shares: list[int]
) -> None:
    windows = data.draw(price_lists(evidence))
    assert energy_cost(resampled(evidence, shares), windows) == energy_cost(evidence, windows)


@PROPERTIES
@given(st.data(), sessions())
def test_priced_energy_is_bounded_by_the_energy_and_the_dearest_price(
    data: st.DataObject, evidence: Evidence
) -> None:
    windows = data.draw(price_lists(evidence))
    found = energy_cost(evidence, windows)
    dearest = max((w.price_per_kwh for w in windows), default=Decimal(0))
    assert 0 <= found.priced_wh <= found.energy_wh
    assert 0 <= found.cost <= found.priced_wh * Fraction(dearest) / 1000
