"""The money rules of drivers: signs of entries and who may start a session."""

from decimal import Decimal
from fractions import Fraction

from chargeyard.drivers.domain import (
    DriverStatus,
    EntryKind,
    PaymentMode,
    Standing,
    signed,
    standing,
)

ENABLED, PREPAID, POSTPAID = DriverStatus.ENABLED, PaymentMode.PREPAID, PaymentMode.POSTPAID


def test_entries_move_money_the_way_their_kind_says() -> None:
    assert signed(EntryKind.TOP_UP, Decimal(5)) == 5
    assert signed(EntryKind.SESSION_CHARGE, Decimal(5)) == -5
    assert signed(EntryKind.FEE, Decimal(-5)) == -5
    assert signed(EntryKind.REFUND, Decimal(5)) == 5
    assert signed(EntryKind.CORRECTION, Decimal(-2)) == -2


def test_a_prepaid_driver_needs_a_balance_covering_the_minimum() -> None:
    minimum = Fraction(6)
    assert standing(ENABLED, PREPAID, Decimal("6.00"), "EUR", minimum, "EUR") == Standing(
        True, True
    )
    assert standing(ENABLED, PREPAID, Decimal("5.99"), "EUR", minimum, "EUR").has_credit is False
    assert standing(ENABLED, PREPAID, Decimal("50"), "EUR", minimum, "CHF").has_credit is False
    assert standing(ENABLED, PREPAID, Decimal(0), "EUR", None, None).has_credit is False
    assert standing(ENABLED, PREPAID, Decimal("0.01"), "EUR", None, None).has_credit is True


def test_a_postpaid_driver_needs_no_balance_and_a_disabled_one_is_not_enabled() -> None:
    assert standing(ENABLED, POSTPAID, Decimal(-100), "EUR", Fraction(6), "EUR").has_credit
    assert not standing(DriverStatus.DISABLED, POSTPAID, Decimal(0), "EUR", None, None).enabled
