"""Chargeyard's tariffs as OCPP 2.1's `TariffType`, and the renderings of 2.1's tariff commands
(SetDefaultTariff, GetTariffs, ClearTariffs, ChangeTransactionTariff).

The one place a tariff is translated for a station that calculates costs locally. It restates
the tariff, it prices nothing: Chargeyard's own cost (`costing/`) stays the one that is billed
and shown in `CostUpdated` and `totalCost`. The mapping, dimension by dimension:

- ENERGY per kWh -> `energy.prices[].priceKwh`; TIME per hour -> `chargingTime.prices[]
  .priceMinute` (a sixtieth); PARKING_TIME per hour -> `idleTime.prices[].priceMinute`; FLAT ->
  `fixedFee.prices[].priceFixed`. Each element holding the dimension gives one price, in element
  order: like OCPI's, 2.1's first price whose conditions all hold is the one in force (the
  conditions of one price are ANDed; docs/billing.md says what this was checked against).
- Restrictions -> conditions: times of day, days of week, dates as they are; kWh as Wh, kW as W,
  durations as `minTime`/`maxTime` seconds.
- 2.1 prices exclude tax: prices stated including tax are divided by their rate (to 6 decimals),
  and each dimension's rate travels as its `taxRates` (type `VAT`).
- The idle fee -> `idleTime` with `minIdleTime` of its grace period.
- Minimum and maximum price -> `minCost`/`maxCost`, excluding and including tax.

What 2.1 cannot say is refused (`NotExpressible`, 422) rather than sent wrong: different tax
rates in one dimension, a flat fee restricted by energy, power or duration (2.1's fixed-price
conditions have none), and both parking-time prices and an idle fee (2.1 has one idle price in
force at a time, Chargeyard charges both). Step sizes have no 2.1 field and are left out: a
station's local estimate may round differently from Chargeyard's cost, which stays authoritative.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chargeyard.commands import tariff_commands as tc
from chargeyard.commands.domain import Command
from chargeyard.errors import Invalid
from chargeyard.money import wire_number
from chargeyard.tariffs.domain import (
    WEEKDAYS,
    Dimension,
    IdleFee,
    PriceComponent,
    Restrictions,
    TariffDefinition,
)

Rendering = tuple[str, dict[str, Any]]

TAX_TYPE = "VAT"
# 2.1 MessageContentType.content holds at most 1024 characters.
_MAX_DESCRIPTION = 1024
_DIMENSIONS = (
    (Dimension.ENERGY, "energy", "price_kwh", Fraction(1)),
    (Dimension.TIME, "charging_time", "price_minute", Fraction(1, 60)),
    (Dimension.PARKING_TIME, "idle_time", "price_minute", Fraction(1, 60)),
    (Dimension.FLAT, "fixed_fee", "price_fixed", Fraction(1)),
)


class NotExpressible(Invalid):
    """The tariff says something OCPP 2.1's TariffType cannot."""

    def __init__(self, tariff_id: str, why: str) -> None:
        super().__init__(f"tariff {tariff_id} cannot be sent to an OCPP 2.1 station: {why}")


def tariff_type(tariff: tc.StationTariff) -> dict[str, Any]:
    """The `TariffType` of a tariff version (snake_case; the wire layer camel-cases it)."""
    definition = tariff.definition
    found: dict[str, Any] = {
        "tariff_id": tariff.station_id,
        "currency": definition.currency,
    }
    if tariff.description:
        found["description"] = [
            {"format": "UTF8", "content": tariff.description[:_MAX_DESCRIPTION]}
        ]
    for dimension, field, price_field, factor in _DIMENSIONS:
        section = _section(tariff.tariff_id, definition, dimension, price_field, factor)
        if section is not None:
            found[field] = section
    if definition.idle_fee is not None:
        if "idle_time" in found:
            raise NotExpressible(
                tariff.tariff_id, "it has both parking-time prices and an idle fee"
            )
        found["idle_time"] = _idle_section(definition, definition.idle_fee)
    low, high = definition.bounds()
    if low is not None:
        found["min_cost"] = {"excl_tax": wire_number(low[0]), "incl_tax": wire_number(low[1])}
    if high is not None:
        found["max_cost"] = {"excl_tax": wire_number(high[0]), "incl_tax": wire_number(high[1])}
    return found


def _section(
    tariff_id: str,
    definition: TariffDefinition,
    dimension: Dimension,
    price_field: str,
    factor: Fraction,
) -> dict[str, Any] | None:
    prices: list[dict[str, Any]] = []
    rates: set[Fraction] = set()
    for element in definition.elements:
        component = element.component(dimension)
        if component is None:
            continue
        rate = definition.rate(component)
        rates.add(rate)
        price: dict[str, Any] = {
            price_field: wire_number(_net(definition, component, rate) * factor)
        }
        if element.restrictions is not None:
            if dimension is Dimension.FLAT:
                price["conditions"] = _fixed_conditions(tariff_id, element.restrictions)
            else:
                price["conditions"] = _conditions(element.restrictions)
        prices.append(price)
    if not prices:
        return None
    if len(rates) > 1:
        raise NotExpressible(tariff_id, f"its {dimension.value} prices have different tax rates")
    return {"prices": prices, "tax_rates": _tax_rates(rates.pop())}


def _idle_section(definition: TariffDefinition, idle: IdleFee) -> dict[str, Any]:
    rate = definition.rate(idle)
    net = definition.split(Fraction(idle.price), rate)[0]
    price: dict[str, Any] = {"price_minute": wire_number(net / 60)}
    if idle.grace_minutes:
        price["conditions"] = {"min_idle_time": idle.grace_minutes * 60}
    return {"prices": [price], "tax_rates": _tax_rates(rate)}


def _net(definition: TariffDefinition, component: PriceComponent, rate: Fraction) -> Fraction:
    return definition.split(Fraction(component.price), rate)[0]


def _tax_rates(rate: Fraction) -> list[dict[str, Any]] | None:
    return None if rate == 0 else [{"type": TAX_TYPE, "tax": wire_number(rate * 100)}]


def _calendar(r: Restrictions) -> dict[str, Any]:
    return {
        "start_time_of_day": None if r.start_time is None else r.start_time.strftime("%H:%M"),
        "end_time_of_day": None if r.end_time is None else r.end_time.strftime("%H:%M"),
        "day_of_week": [d.value.capitalize() for d in _weekdays(r.day_of_week)] or None,
        "valid_from_date": None if r.start_date is None else r.start_date.isoformat(),
        "valid_to_date": None if r.end_date is None else r.end_date.isoformat(),
    }


def _weekdays(days: Sequence[Any]) -> list[Any]:
    return sorted(set(days), key=WEEKDAYS.index)


def _conditions(r: Restrictions) -> dict[str, Any]:
    return _calendar(r) | {
        "min_energy": _scaled(r.min_kwh, 1000),
        "max_energy": _scaled(r.max_kwh, 1000),
        "min_power": _scaled(r.min_power, 1000),
        "max_power": _scaled(r.max_power, 1000),
        "min_time": r.min_duration,
        "max_time": r.max_duration,
    }


def _fixed_conditions(tariff_id: str, r: Restrictions) -> dict[str, Any]:
    unsaid = ("min_kwh", "max_kwh", "min_power", "max_power", "min_duration", "max_duration")
    if any(getattr(r, name) is not None for name in unsaid):
        raise NotExpressible(
            tariff_id,
            "a flat fee restricted by energy, power or duration (2.1 has no such condition)",
        )
    return _calendar(r)


def _scaled(value: Decimal | None, by: int) -> float | None:
    return None if value is None else wire_number(Fraction(value) * by)


# --- renderings -----------------------------------------------------------------------------------


def _set_default_tariff(c: tc.SetDefaultTariff) -> Rendering:
    return "SetDefaultTariff", {"evse_id": c.evse_id, "tariff": tariff_type(c.tariff)}


def _get_tariffs(c: tc.GetTariffs) -> Rendering:
    return "GetTariffs", {"evse_id": c.evse_id}


def _clear_tariffs(c: tc.ClearTariffs) -> Rendering:
    return "ClearTariffs", {"tariff_ids": list(c.tariff_ids) or None, "evse_id": c.evse_id}


def _change_transaction_tariff(c: tc.ChangeTransactionTariff) -> Rendering:
    return "ChangeTransactionTariff", {
        "transaction_id": c.ocpp_transaction_id,
        "tariff": tariff_type(c.tariff),
    }


RENDERINGS: dict[type[Command], Callable[[Any], Rendering]] = {
    tc.SetDefaultTariff: _set_default_tariff,
    tc.GetTariffs: _get_tariffs,
    tc.ClearTariffs: _clear_tariffs,
    tc.ChangeTransactionTariff: _change_transaction_tariff,
}
