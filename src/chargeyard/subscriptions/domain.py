"""Subscription rules. Pure: no I/O.

A plan has a monthly fee and its benefits: kWh included per period and a percentage discount on
session charges. A driver's subscription runs in monthly periods counted from the day it was
activated (period n ends n calendar months after that instant; a start on the 31st ends periods
on the last day of shorter months, and is back on the 31st where the month has one). The fee is
booked at activation and at each renewal; a subscription that is not renewed expires at the end
of its period.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction

from chargeyard.money import round_money

KWH = Decimal("0.000001")  # included energy is counted to the Wh's thousandth


class PlanStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"  # no new subscriptions, no renewals


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    CANCELED = "canceled"
    EXPIRED = "expired"


def add_months(anchor: datetime, months: int) -> datetime:
    """`anchor` moved by whole calendar months, the day held at the month's last if shorter."""
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


def period_bounds(anchor: datetime, number: int) -> tuple[datetime, datetime]:
    """Period `number` (1 is the first) of a subscription activated at `anchor`."""
    return add_months(anchor, number - 1), add_months(anchor, number)


class Renewal(StrEnum):
    RENEW = "renew"
    NOT_RENEWED = "not_renewed"  # auto-renew is off
    PLAN_RETIRED = "plan_retired"
    INSUFFICIENT_BALANCE = "insufficient_balance"  # a prepaid driver cannot pay the fee


def renewal(
    auto_renew: bool, plan_status: PlanStatus, prepaid: bool, balance: Decimal, fee: Decimal
) -> Renewal:
    """What happens at the end of a period. A prepaid driver's balance must cover the fee (the
    fee is never what makes a prepaid balance negative); a postpaid driver's may go negative."""
    if not auto_renew:
        return Renewal.NOT_RENEWED
    if plan_status is PlanStatus.RETIRED:
        return Renewal.PLAN_RETIRED
    if prepaid and balance < fee:
        return Renewal.INSUFFICIENT_BALANCE
    return Renewal.RENEW


@dataclass(frozen=True)
class Benefit:
    """What a subscription takes off one session charge."""

    covered_kwh: Decimal  # of the period's included energy, used by this session
    amount: Decimal  # the credit, in the charge's currency


def session_benefit(
    charge: Decimal,
    energy_kwh: Fraction,
    energy_cost: Decimal,
    remaining_kwh: Decimal | None,
    discount_percent: Decimal | None,
    currency: str,
) -> Benefit:
    """The credit on a session charge (`charge`: total including tax, as booked).

    1. **Included energy** first: the session's kWh, up to what is left of the period's
       allowance, are credited at the session's own energy price (its ENERGY cost including tax,
       `energy_cost`, pro rata), so included kWh are worth what the driver would have paid for
       them at that place and time. Flat, time and parking components are not included energy.
    2. **Discount** then: the percentage of what is left of the charge.

    Rounded once to the currency's minor unit; never more than the charge."""
    covered = Decimal(0)
    included = Fraction(0)
    if remaining_kwh is not None and remaining_kwh > 0 and energy_kwh > 0:
        session_kwh = (Decimal(energy_kwh.numerator) / Decimal(energy_kwh.denominator)).quantize(
            KWH, rounding=ROUND_DOWN
        )
        covered = min(remaining_kwh, session_kwh)
        included = Fraction(energy_cost) * Fraction(covered) / energy_kwh
    rest = max(Fraction(0), Fraction(charge) - included)
    discount = rest * Fraction(discount_percent) / 100 if discount_percent else Fraction(0)
    amount = min(round_money(included + discount, currency), charge)
    return Benefit(covered, max(amount, Decimal(0)))


class RefundRule(StrEnum):
    """What a cancellation gives back of the current period's fee."""

    UNUSED = "unused"  # the unused share (`unused_share`)
    FULL = "full"
    NONE = "none"


def unused_share(
    start: datetime,
    end: datetime,
    now: datetime,
    included_kwh: Decimal | None,
    used_kwh: Decimal,
) -> Fraction:
    """The share of a period's fee a cancellation at `now` has not used: the time left of the
    period, and, for a plan with included energy, no more than the energy left of it (a driver
    who used the month's kWh in a week has used the month's benefit)."""
    length = (end - start).total_seconds()
    left = (end - max(now, start)).total_seconds()
    share = (
        Fraction(0)
        if length <= 0
        else max(Fraction(0), min(Fraction(1), Fraction(left) / Fraction(length)))
    )
    if included_kwh is not None and included_kwh > 0:
        energy_left = max(Fraction(0), 1 - Fraction(used_kwh) / Fraction(included_kwh))
        share = min(share, energy_left)
    return share


def refund(fee: Decimal, share: Fraction, rule: RefundRule, currency: str) -> Decimal:
    """The amount to refund of a period's `fee` under `rule`, rounded once to the currency's
    minor unit and never more than the fee."""
    if rule is RefundRule.NONE or fee <= 0:
        return Decimal(0)
    if rule is RefundRule.FULL:
        return fee
    return min(round_money(Fraction(fee) * share, currency), fee)
