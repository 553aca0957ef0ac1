"""Voucher rules. Pure: no I/O.

A voucher is a code an operator hands out. An **amount** voucher credits its amount to the
driver's ledger when it is redeemed. A **percentage** voucher is a discount on the driver's next
session: redeeming it holds it for the driver, and the next session charge booked for them is
followed by a voucher credit of that percentage of the charge (capped by `max_amount`). That is
what EV charging promotions do ("20 % off your next charge"); a percentage of a top-up would pay
the driver for moving money, not for charging.

Codes are compared case-insensitively, as people type them.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from chargeyard.money import round_money


class VoucherKind(StrEnum):
    AMOUNT = "amount"
    PERCENTAGE = "percentage"


class VoucherStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class RedemptionStatus(StrEnum):
    BOOKED = "booked"  # an amount voucher: credited when redeemed
    PENDING = "pending"  # a percentage voucher waiting for the driver's next session charge
    APPLIED = "applied"  # a percentage voucher credited against a session charge


def code_key(code: str) -> str:
    """What codes are compared by: the code without surrounding blanks, in lower case."""
    return code.strip().lower()


@dataclass(frozen=True)
class Terms:
    kind: VoucherKind
    amount: Decimal | None
    percent: Decimal | None
    max_amount: Decimal | None
    max_redemptions: int | None
    per_driver_limit: int


def terms_problem(terms: Terms) -> str | None:
    """Why a voucher's terms make no sense, or None."""
    if terms.kind is VoucherKind.AMOUNT:
        if terms.amount is None or terms.amount <= 0:
            return "amount: an amount voucher credits a positive amount"
        if terms.percent is not None or terms.max_amount is not None:
            return "percent: only a percentage voucher has a percent or a max_amount"
    else:
        if terms.percent is None or not 0 < terms.percent <= 100:
            return "percent: a percentage voucher takes more than 0 and at most 100 percent"
        if terms.amount is not None:
            return "amount: a percentage voucher has a percent, not an amount"
        if terms.max_amount is not None and terms.max_amount <= 0:
            return "max_amount: a cap is positive"
    if terms.max_redemptions is not None and terms.max_redemptions < 1:
        return "max_redemptions: at least 1 (or null for no limit)"
    if terms.per_driver_limit < 1:
        return "per_driver_limit: at least 1"
    return None


def refusal(
    status: VoucherStatus,
    expires_at: datetime | None,
    redemptions: int,
    max_redemptions: int | None,
    now: datetime,
) -> str | None:
    """Why the voucher cannot be redeemed now, or None. (The last redemption of a limited code
    is claimed atomically in the database as well: this only explains the usual refusal.)"""
    if status is VoucherStatus.DISABLED:
        return "this voucher is disabled"
    if expires_at is not None and expires_at <= now:
        return "this voucher has expired"
    if max_redemptions is not None and redemptions >= max_redemptions:
        return "this voucher has been fully redeemed"
    return None


def percentage_credit(
    charge: Decimal, percent: Decimal, max_amount: Decimal | None, currency: str
) -> Decimal:
    """The credit a percentage voucher gives on a session charge: the percentage of the charge,
    rounded to the currency's minor unit, at most `max_amount` and never more than the charge."""
    credit = round_money(charge * percent / 100, currency)
    if max_amount is not None:
        credit = min(credit, max_amount)
    return max(Decimal(0), min(credit, charge))
