"""Money: a `Decimal` amount in an ISO 4217 currency, and how amounts are rounded for people.

Costing works on exact fractions and rounds once, at the end, to the currency's minor unit
(`round_money`): half away from zero (ROUND_HALF_UP), the rule invoices and receipts use. Pure:
no I/O.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# ISO 4217 minor units where they are not 2.
_MINOR_UNITS = {
    "BHD": 3,
    "CLP": 0,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KRW": 0,
    "KWD": 3,
    "OMR": 3,
    "TND": 3,
    "VND": 0,
}


def is_currency(code: str) -> bool:
    """An ISO 4217 alphabetic code's shape (three capital letters)."""
    return bool(_CURRENCY.match(code))


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(amount: Fraction | Decimal, currency: str) -> Decimal:
    """`amount` rounded half away from zero to the currency's minor unit ("1.50", never "1.5")."""
    if isinstance(amount, Fraction):
        exact = Decimal(amount.numerator) / Decimal(amount.denominator)
        # A quotient with more digits than the context keeps is rounded by the context first;
        # 28 significant digits are far beyond any minor unit, so the final rounding decides.
    else:
        exact = amount
    return exact.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def money_text(amount: Decimal, currency: str) -> str:
    """The amount as API bodies and events carry it: a decimal string with the minor unit."""
    return str(amount.quantize(quantum(currency), rounding=ROUND_HALF_UP))


_WIRE_PLACES = Decimal("0.000001")


def wire_number(value: Fraction | Decimal) -> float:
    """A price or cost as a protocol's JSON number (OCPP's decimal): rounded half up to 6
    decimals, exact enough for a unit price shown per minute, and made a float only here, at
    the wire."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return float(value.quantize(_WIRE_PLACES, rounding=ROUND_HALF_UP))
