"""The tariff as a driver reads it on a station's display: one short line of prices.

OCPP 2.0.1 shows a driver their tariff (use case I01) as a personal message in the answer to an
Authorize, and in the answer to a TransactionEvent that carries their token. The line names,
for each dimension, the price of the element in force now by the rule that prices sessions
(`tariffs/domain.py`: the first element with that dimension whose restrictions hold, read by
`costing/restrictions.py: holds`), at the start of a session (no time elapsed, no energy, no
power yet), and says when other elements may apply later. Prices are shown including tax, as the
cost the station is told is (`totalCost` is a total including tax). Pure, apart from the two
functions at the end that find the tariff.
"""

from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from chargeyard.clock import Clock
from chargeyard.costing.restrictions import Conditions, holds
from chargeyard.money import minor_units
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.domain import (
    Dimension,
    PriceComponent,
    Restrictions,
    TariffDefinition,
    TariffElement,
)
from chargeyard.tariffs.service import PricedBy, TariffService

# OCPP 2.0.1 MessageContentType.content holds at most 512 characters.
MAX_CHARS = 512
_UNITS = {
    Dimension.ENERGY: "/kWh",
    Dimension.FLAT: " per session",
    Dimension.TIME: "/h charging",
    Dimension.PARKING_TIME: "/h parked",
}
_ORDER = (Dimension.ENERGY, Dimension.TIME, Dimension.PARKING_TIME, Dimension.FLAT)


def tariff_text(tariff: TariffDefinition, at: datetime, timezone: str) -> str:
    """`0.36 EUR/kWh, 1.20 EUR per session (incl. 20% tax)` for a session starting at `at`."""
    parts = []
    for dimension, price in prices_in_force(tariff, at, timezone).items():
        parts.append(f"{_amount(price, tariff.currency)} {tariff.currency}{_UNITS[dimension]}")
    idle = tariff.idle_fee
    if idle is not None:
        price = tariff.split(Fraction(idle.price), tariff.rate(idle))[1]
        grace = f" after {idle.grace_minutes} min" if idle.grace_minutes else ""
        parts.append(f"idle fee {_amount(price, tariff.currency)} {tariff.currency}/h{grace}")
    text = ", ".join(parts) if parts else "free of charge"
    if tariff.tax_rate:
        text += f" (incl. {_percent(tariff.tax_rate)}% tax)"
    if any(element.restrictions is not None for element in tariff.elements):
        text += ". Prices vary by time, energy or power."
    return text[:MAX_CHARS]


def prices_in_force(
    tariff: TariffDefinition,
    at: datetime,
    timezone: str,
    elapsed_s: Fraction = Fraction(0),
    energy_kwh: Fraction = Fraction(0),
) -> dict[Dimension, Fraction]:
    """Each dimension's price including tax in force at `at`, `elapsed_s` and `energy_kwh` into
    a session (at its start by default), by the rule that prices sessions; power restrictions
    are left out, since a display cannot know the power to come. Dimensions without a price in
    force are absent; the order is the line's (energy, time, parking, flat)."""
    now = Conditions(
        local=at.astimezone(ZoneInfo(timezone)),
        elapsed_s=elapsed_s,
        energy_kwh=energy_kwh,
        power_kw=Fraction(0),
    )
    found = {}
    for dimension in _ORDER:
        component = _in_force(tariff, dimension, now)
        if component is not None:
            found[dimension] = _gross(tariff, component)
    return found


def _in_force(
    tariff: TariffDefinition, dimension: Dimension, start: Conditions
) -> PriceComponent | None:
    """The component of the first element with the dimension whose restrictions hold at the
    start; power restrictions are left out, since no power is known before the car draws."""
    for element in tariff.elements:
        component = element.component(dimension)
        if component is not None and holds(_without_power(element), start):
            return component
    return None


def _without_power(element: TariffElement) -> Restrictions | None:
    r = element.restrictions
    return None if r is None else replace(r, min_power=None, max_power=None)


def _gross(tariff: TariffDefinition, component: PriceComponent) -> Fraction:
    return tariff.split(Fraction(component.price), tariff.rate(component))[1]


def _amount(price: Fraction, currency: str) -> str:
    """A unit price to at most 4 decimals, never fewer than the currency's minor unit."""
    exact = Decimal(price.numerator) / Decimal(price.denominator)
    shown = exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    places = max(minor_units(currency), -int(shown.as_tuple().exponent))
    return f"{shown:.{places}f}"


def _percent(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


async def text_for_start(
    uow: UnitOfWork,
    organization_id: str,
    clock: Clock,
    station_id: str,
    id_tag: str,
    evse_id: int | None = None,
) -> str | None:
    """The line for a session the tag would start now at the station (its tariff group's
    tariff where one applies, as the session would be priced); None where no tariff applies."""
    at = clock()
    priced = await TariffService(uow, organization_id, clock).pricing(
        station_id, at, evse_id=evse_id, id_tag=id_tag
    )
    return None if priced is None else _line(priced, at)


async def text_for_session(
    uow: UnitOfWork,
    organization_id: str,
    clock: Clock,
    station_id: str,
    pinned: tuple[str, int],
    started_at: datetime,
) -> str | None:
    """The line for the tariff version fixed on a running session (`pinned`: id, version)."""
    priced = await TariffService(uow, organization_id, clock).pinned(*pinned, station_id)
    return None if priced is None else _line(priced, started_at)


def _line(priced: PricedBy, at: datetime) -> str:
    return tariff_text(priced.definition, at, priced.timezone)
