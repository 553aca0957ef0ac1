"""Voucher rules: codes, terms, refusals and the credit a percentage gives."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.vouchers.domain import (
    Terms,
    VoucherKind,
    VoucherStatus,
    code_key,
    percentage_credit,
    refusal,
    terms_problem,
)

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_codes_compare_case_insensitively_without_surrounding_blanks() -> None:
    assert code_key(" Welcome-10 ") == code_key("WELCOME-10") == "welcome-10"


def test_terms_that_make_no_sense_are_named() -> None:
    def problem(**changes: object) -> str | None:
        fields: dict[str, object] = {
            "kind": VoucherKind.AMOUNT,
            "amount": Decimal("10"),
            "percent": None,
            "max_amount": None,
            "max_redemptions": 1,
            "per_driver_limit": 1,
        } | changes
        return terms_problem(Terms(**fields))  # type: ignore[arg-type]

    assert problem() is None
    assert problem(max_redemptions=None) is None  # no limit
    assert problem(amount=None, kind=VoucherKind.PERCENTAGE, percent=Decimal("20")) is None
    assert problem(amount=None).startswith("amount")
    assert problem(percent=Decimal("5")).startswith("percent")
    assert problem(kind=VoucherKind.PERCENTAGE, percent=Decimal("20")).startswith("amount")
    assert problem(amount=None, kind=VoucherKind.PERCENTAGE, percent=Decimal("101")) is not None
    assert problem(max_redemptions=0).startswith("max_redemptions")
    assert problem(per_driver_limit=0).startswith("per_driver_limit")


def test_refusals() -> None:
    active = VoucherStatus.ACTIVE
    assert refusal(active, None, 0, 1, NOW) is None
    assert refusal(active, NOW + timedelta(seconds=1), 5, None, NOW) is None
    assert refusal(VoucherStatus.DISABLED, None, 0, 1, NOW) == "this voucher is disabled"
    assert refusal(active, NOW, 0, 1, NOW) == "this voucher has expired"
    assert refusal(active, None, 1, 1, NOW) == "this voucher has been fully redeemed"


def test_a_percentage_credit_is_rounded_once_and_capped() -> None:
    assert percentage_credit(Decimal("4.80"), Decimal("25"), None, "EUR") == Decimal("1.20")
    assert percentage_credit(Decimal("4.85"), Decimal("10"), None, "EUR") == Decimal("0.49")
    assert percentage_credit(Decimal("40.00"), Decimal("50"), Decimal("5"), "EUR") == Decimal("5")
    assert percentage_credit(Decimal("1234"), Decimal("10"), None, "JPY") == Decimal("123")


@given(
    charge=st.decimals(min_value=0, max_value=10_000, places=2),
    percent=st.decimals(min_value="0.000001", max_value=100, places=6),
    cap=st.none() | st.decimals(min_value="0.01", max_value=1_000, places=2),
)
def test_a_percentage_credit_never_exceeds_the_charge_or_its_cap(
    charge: Decimal, percent: Decimal, cap: Decimal | None
) -> None:
    credit = percentage_credit(charge, percent, cap, "EUR")
    assert Decimal(0) <= credit <= charge
    assert cap is None or credit <= cap
