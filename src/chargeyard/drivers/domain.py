"""Driver values and the rules of their money. Pure: no I/O.

The ledger is append-only: every change of a driver's money is an entry with a signed amount in
the driver's currency (credit positive, debit negative), and the balance is the sum of the
entries, never a stored number that could drift from them. A mistake is undone by a new entry
(a refund or a correction), never by editing one.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class DriverStatus(StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"


class PaymentMode(StrEnum):
    PREPAID = "prepaid"  # charges against a balance topped up in advance
    POSTPAID = "postpaid"  # billed afterwards; the balance may go negative


class EntryKind(StrEnum):
    TOP_UP = "top_up"
    SESSION_CHARGE = "session_charge"
    FEE = "fee"
    VOUCHER = "voucher"
    REFUND = "refund"
    CORRECTION = "correction"
    SUBSCRIPTION_FEE = "subscription_fee"  # a plan's fee, at activation and each renewal
    DISCOUNT = "discount"  # a subscription's included energy and discount on a session charge


# Which way each kind moves money; a correction goes either way.
_SIGN = {
    EntryKind.TOP_UP: 1,
    EntryKind.VOUCHER: 1,
    EntryKind.REFUND: 1,
    EntryKind.DISCOUNT: 1,
    EntryKind.SESSION_CHARGE: -1,
    EntryKind.FEE: -1,
    EntryKind.SUBSCRIPTION_FEE: -1,
}


def signed(kind: EntryKind, amount: Decimal) -> Decimal:
    """The entry's amount as booked: `amount` is what the operator states (positive), except for
    a correction, whose sign says which way it goes."""
    if kind is EntryKind.CORRECTION:
        return amount
    return abs(amount) * _SIGN[kind]


@dataclass(frozen=True)
class Standing:
    """What a driver's account allows at a station right now."""

    enabled: bool
    has_credit: bool


def exhausted(balance: Decimal, cost_before: Decimal | None, cost_now: Decimal) -> bool:
    """A prepaid session's live cost has just reached the balance it runs on: once, at the
    crossing, so every later reading does not ask for another stop."""
    before = Decimal(0) if cost_before is None else cost_before
    return before < balance <= cost_now


def standing(
    status: DriverStatus,
    mode: PaymentMode,
    balance: Decimal,
    balance_currency: str,
    minimum: Fraction | None,
    tariff_currency: str | None,
) -> Standing:
    """A prepaid driver needs a positive balance that covers the least a session at the station
    can cost (`tariffs.domain.session_minimum`), in the tariff's currency; a postpaid driver
    needs nothing. Where no tariff applies, charging is free: a positive balance is enough."""
    enabled = status is DriverStatus.ENABLED
    if mode is PaymentMode.POSTPAID:
        return Standing(enabled, True)
    if balance <= 0:
        return Standing(enabled, False)
    if tariff_currency is None or minimum is None:
        return Standing(enabled, True)
    if tariff_currency != balance_currency:
        return Standing(enabled, False)
    return Standing(enabled, Fraction(balance) >= minimum)
