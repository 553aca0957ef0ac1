"""Subscription rules: monthly periods, what happens at a period's end, and the benefit on a
session charge."""

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.subscriptions.domain import (
    PlanStatus,
    Renewal,
    add_months,
    period_bounds,
    renewal,
    session_benefit,
)


def test_periods_are_calendar_months_from_the_activation() -> None:
    anchor = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    assert add_months(anchor, 1) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert add_months(anchor, 2) == datetime(2026, 3, 31, 9, 30, tzinfo=UTC)  # back on the 31st
    assert add_months(anchor, 11) == datetime(2026, 12, 31, 9, 30, tzinfo=UTC)
    assert add_months(anchor, 13) == datetime(2027, 2, 28, 9, 30, tzinfo=UTC)
    assert period_bounds(anchor, 1) == (anchor, datetime(2026, 2, 28, 9, 30, tzinfo=UTC))
    assert period_bounds(anchor, 3) == (
        datetime(2026, 3, 31, 9, 30, tzinfo=UTC),
        datetime(2026, 4, 30, 9, 30, tzinfo=UTC),
    )


@given(
    anchor=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    number=st.integers(min_value=1, max_value=240),
)
def test_periods_follow_each_other_without_gap_or_overlap(anchor: datetime, number: int) -> None:
    start, end = period_bounds(anchor, number)
    following, _ = period_bounds(anchor, number + 1)
    assert start < end == following


def test_what_happens_at_the_end_of_a_period() -> None:
    fee = Decimal("9.90")
    active = PlanStatus.ACTIVE
    assert renewal(True, active, False, Decimal("-50"), fee) is Renewal.RENEW  # postpaid
    assert renewal(True, active, True, Decimal("9.90"), fee) is Renewal.RENEW
    assert renewal(True, active, True, Decimal("9.89"), fee) is Renewal.INSUFFICIENT_BALANCE
    assert renewal(False, active, True, Decimal("100"), fee) is Renewal.NOT_RENEWED
    assert renewal(True, PlanStatus.RETIRED, False, Decimal(0), fee) is Renewal.PLAN_RETIRED


def test_included_energy_is_credited_at_the_sessions_energy_price_then_the_discount() -> None:
    # A 4.80 session: 10 kWh whose energy cost 3.60 including tax, and a 1.20 flat fee.
    charge, kwh, energy = Decimal("4.80"), Fraction(10), Decimal("3.60")
    # 4 kWh left: 4 x 0.36 = 1.44; then 10 % of the 3.36 left: 0.336 -> 1.776 -> 1.78.
    benefit = session_benefit(charge, kwh, energy, Decimal("4"), Decimal("10"), "EUR")
    assert (benefit.covered_kwh, benefit.amount) == (Decimal("4"), Decimal("1.78"))
    # More than the session: its 10 kWh are covered, the flat fee is not.
    benefit = session_benefit(charge, kwh, energy, Decimal("50"), None, "EUR")
    assert (benefit.covered_kwh, benefit.amount) == (Decimal("10.000000"), Decimal("3.60"))
    # Nothing left and no discount: nothing.
    assert session_benefit(charge, kwh, energy, Decimal(0), None, "EUR").amount == 0
    # A discount alone.
    benefit = session_benefit(charge, kwh, energy, None, Decimal("25"), "EUR")
    assert (benefit.covered_kwh, benefit.amount) == (Decimal(0), Decimal("1.20"))


@given(
    charge=st.decimals(min_value=0, max_value=1_000, places=2),
    kwh=st.fractions(min_value=0, max_value=500),
    energy=st.decimals(min_value=0, max_value=1_000, places=2),
    remaining=st.none() | st.decimals(min_value=0, max_value=1_000, places=6),
    percent=st.none() | st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_benefit_is_never_negative_and_never_more_than_the_charge(
    charge: Decimal,
    kwh: Fraction,
    energy: Decimal,
    remaining: Decimal | None,
    percent: Decimal | None,
) -> None:
    benefit = session_benefit(charge, kwh, energy, remaining, percent, "EUR")
    assert Decimal(0) <= benefit.amount <= charge
    assert benefit.covered_kwh >= 0
    assert remaining is None or benefit.covered_kwh <= remaining
    assert benefit.covered_kwh <= kwh
