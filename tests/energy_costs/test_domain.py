"""A session's energy cost: its energy curve priced by the most specific price in force."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from chargeyard.costing.evidence import Evidence, meter_curve
from chargeyard.energy_costs.domain import PriceWindow, circuit_ranks, energy_cost
from chargeyard.money import money_text
from tests.costing.factories import T0, session


def window(start_min: int, end_min: int, price: str, rank: int = 0) -> PriceWindow:
    return PriceWindow(
        T0 + timedelta(minutes=start_min), T0 + timedelta(minutes=end_min), Decimal(price), rank
    )


def test_each_stretch_is_priced_by_the_window_in_force() -> None:
    """60 minutes, 12 kWh linearly: 6 kWh at 0.10 then 6 kWh at 0.30."""
    found = energy_cost(session(60, 12_000), [window(-60, 30, "0.10"), window(30, 90, "0.30")])
    assert (found.energy_wh, found.priced_wh, found.amount) == (12_000, 12_000, Decimal("2.4"))


def test_energy_without_a_price_costs_nothing_and_shows() -> None:
    found = energy_cost(session(60, 12_000), [window(0, 15, "0.20")])
    assert (found.priced_wh, found.cost) == (3000, Fraction(3, 5))
    assert found.energy_wh == 12_000


def test_the_most_specific_price_wins() -> None:
    """The circuit's own price (rank 0) over its parent's over the organization's."""
    prices = [window(0, 60, "0.10", rank=2), window(0, 60, "0.20", rank=1)]
    assert energy_cost(session(60, 10_000), prices).amount == Decimal("2.000000")
    prices.append(window(20, 40, "0.50", rank=0))
    # 20 minutes of 60 at 0.50, the rest at 0.20
    assert energy_cost(session(60, 9_000), prices).amount == Decimal("2.700000")


def test_parked_stretches_draw_nothing_and_cost_nothing() -> None:
    found = energy_cost(session(90, 6_000, readings=((60, 6_000),)), [window(60, 90, "9.99")])
    assert found.cost == 0 and found.priced_wh == 0


def test_circuit_ranks_follow_the_tree_up_and_end_with_the_organization() -> None:
    parents: dict[str, str | None] = {"leaf": "mid", "mid": "root", "root": None}
    assert circuit_ranks("leaf", parents) == {"leaf": 0, "mid": 1, "root": 2, None: 3}
    assert circuit_ranks(None, parents) == {None: 0}
    assert circuit_ranks("loop", {"loop": "loop"}) == {"loop": 0, None: 1}


def test_the_worked_example_in_billing_md() -> None:
    start = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
    at = {minute: start + timedelta(minutes=minute) for minute in (15, 30, 45, 82)}
    readings = ((at[15], 16_500), (at[30], 21_000), (at[45], 25_500))
    evidence = Evidence(start, at[82], meter_curve(start, 12_000, readings, at[82], 25_500))
    prices = [
        PriceWindow(start, at[30], Decimal("0.10"), rank=1),
        PriceWindow(at[30], at[82], Decimal("0.25"), rank=0),
    ]
    found = energy_cost(evidence, prices)
    assert (found.energy_wh, found.amount) == (13_500, Decimal("2.025000"))
    assert money_text(Decimal("7.15") - found.amount, "EUR") == "5.13"
    assert money_text(found.amount, "EUR") == "2.03"
