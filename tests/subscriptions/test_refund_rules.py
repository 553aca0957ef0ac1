"""What a cancellation refunds of a period's fee: the unused share of its time, no more than the
included energy left, rounded once; `full` and `none` as they say."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.subscriptions.domain import RefundRule, refund, unused_share

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
END = datetime(2026, 3, 31, 9, 30, tzinfo=UTC)  # 30 days


def test_the_time_left_of_the_period() -> None:
    at = START + timedelta(days=12)
    assert unused_share(START, END, at, None, Decimal(0)) == Fraction(18, 30)
    assert unused_share(START, END, START, None, Decimal(0)) == 1
    assert unused_share(START, END, END + timedelta(days=1), None, Decimal(0)) == 0
    assert unused_share(START, END, START - timedelta(days=1), None, Decimal(0)) == 1


def test_no_more_than_the_included_energy_left() -> None:
    early = START + timedelta(days=3)  # 27 of 30 days left, but 40 of the 50 kWh used
    assert unused_share(START, END, early, Decimal(50), Decimal(40)) == Fraction(1, 5)
    assert unused_share(START, END, early, Decimal(50), Decimal(60)) == 0
    # Little energy used: the time left decides.
    assert unused_share(START, END, early, Decimal(50), Decimal(1)) == Fraction(27, 30)


def test_the_amount_by_rule() -> None:
    fee = Decimal("9.90")
    assert refund(fee, Fraction(18, 30), RefundRule.UNUSED, "EUR") == Decimal("5.94")
    assert refund(fee, Fraction(1, 3), RefundRule.UNUSED, "EUR") == Decimal("3.30")
    assert refund(fee, Fraction(1, 7), RefundRule.UNUSED, "EUR") == Decimal("1.41")  # 1.4142..
    assert refund(fee, Fraction(1, 7), RefundRule.FULL, "EUR") == fee
    assert refund(fee, Fraction(1), RefundRule.NONE, "EUR") == 0
    assert refund(Decimal(0), Fraction(1), RefundRule.FULL, "EUR") == 0
    assert refund(Decimal(1000), Fraction(1, 3), RefundRule.UNUSED, "JPY") == Decimal(333)


@given(
    fee=st.decimals(min_value=0, max_value=10_000, places=2),
    elapsed=st.integers(min_value=0, max_value=40 * 86_400),
    later=st.integers(min_value=0, max_value=40 * 86_400),
)
def test_never_more_than_the_fee_and_less_the_later_the_cancel(
    fee: Decimal, elapsed: int, later: int
) -> None:
    def at(seconds: int) -> Decimal:
        share = unused_share(START, END, START + timedelta(seconds=seconds), None, Decimal(0))
        return refund(fee, share, RefundRule.UNUSED, "EUR")

    assert 0 <= at(elapsed) <= fee
    assert at(elapsed + later) <= at(elapsed)
