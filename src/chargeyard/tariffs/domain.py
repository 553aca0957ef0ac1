"""Tariff values and rules, shaped like OCPI 2.2.1's Tariff (pure: no I/O).

A tariff is a currency, a list of elements and optional tax, minimum and maximum price. An
element is a list of price components (one per dimension: ENERGY per kWh, TIME and PARKING_TIME
per hour, FLAT per session) and optional restrictions that say when it is active. For each
dimension the first element (in list order) that has a component of that dimension and whose
restrictions hold is the one in force; none in force means that dimension is free.

Prices are stated excluding tax unless `prices_include_tax`; `tax_rate` is a percentage (19 for
19 %), which a component's own `vat` overrides (OCPI's per-component VAT). Minimum and maximum
price are stated on the same basis as the prices. How a session is costed is `costing/`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from chargeyard.errors import Invalid
from chargeyard.money import is_currency


class Dimension(StrEnum):
    ENERGY = "ENERGY"
    FLAT = "FLAT"
    PARKING_TIME = "PARKING_TIME"
    TIME = "TIME"


class DayOfWeek(StrEnum):
    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"


WEEKDAYS = tuple(DayOfWeek)  # index = date.weekday()


@dataclass(frozen=True)
class PriceComponent:
    """`price` per kWh (ENERGY), per hour (TIME, PARKING_TIME) or per session (FLAT).
    `step_size` is in Wh for ENERGY and seconds for the times (ignored for FLAT)."""

    type: Dimension
    price: Decimal
    step_size: int = 1
    vat: Decimal | None = None


@dataclass(frozen=True)
class Restrictions:
    """When an element is active. Times of day and dates are local to the location's time zone;
    `end_time`, `end_date`, `max_*` are exclusive, `start_*`, `min_*` inclusive. An `end_time`
    before `start_time` spans midnight. Power in kW, duration in seconds."""

    start_time: time | None = None
    end_time: time | None = None
    start_date: date | None = None
    end_date: date | None = None
    min_kwh: Decimal | None = None
    max_kwh: Decimal | None = None
    min_power: Decimal | None = None
    max_power: Decimal | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    day_of_week: tuple[DayOfWeek, ...] = ()


@dataclass(frozen=True)
class TariffElement:
    price_components: tuple[PriceComponent, ...]
    restrictions: Restrictions | None = None

    def component(self, dimension: Dimension) -> PriceComponent | None:
        return next((c for c in self.price_components if c.type is dimension), None)


@dataclass(frozen=True)
class IdleFee:
    """A fee per hour for blocking the charger once charging has finished: every second parked
    after the first energy flowed, beyond `grace_minutes` of it in the whole session, rounded up
    to `step_size` seconds. An extension of OCPI 2.2.1 (whose PARKING_TIME restrictions cannot
    say "after charging ended"); taxed at `vat`, else the tariff's rate; outside the minimum
    and maximum price (a cap must not make blocking a charger free)."""

    price: Decimal
    grace_minutes: int = 0
    step_size: int = 60
    vat: Decimal | None = None


@dataclass(frozen=True)
class TariffDefinition:
    currency: str
    elements: tuple[TariffElement, ...]
    tax_rate: Decimal | None = None
    prices_include_tax: bool = False
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    idle_fee: IdleFee | None = None

    def rate(self, component: PriceComponent | IdleFee) -> Fraction:
        """The tax rate that applies to a component, as a fraction (0.19 for 19 %)."""
        percent = component.vat if component.vat is not None else self.tax_rate
        return Fraction(percent or 0) / 100

    def split(self, amount: Fraction, rate: Fraction) -> tuple[Fraction, Fraction]:
        """(excluding tax, including tax) of an amount stated on the tariff's basis."""
        if self.prices_include_tax:
            return amount / (1 + rate), amount
        return amount, amount * (1 + rate)

    def bounds(self) -> tuple[tuple[Fraction, Fraction] | None, tuple[Fraction, Fraction] | None]:
        """Minimum and maximum price as (excl, incl), taxed at the tariff's own rate."""
        rate = Fraction(self.tax_rate or 0) / 100

        def both(value: Decimal | None) -> tuple[Fraction, Fraction] | None:
            return None if value is None else self.split(Fraction(value), rate)

        return both(self.min_price), both(self.max_price)


def session_minimum(tariff: TariffDefinition) -> Fraction:
    """The least a session can cost, including tax: the minimum price, or a flat fee that no
    restriction can switch off, whichever is higher. What a prepaid driver must at least hold."""
    lowest = tariff.bounds()[0]
    minimum = Fraction(0) if lowest is None else lowest[1]
    for element in tariff.elements:
        flat = element.component(Dimension.FLAT)
        if flat is not None and element.restrictions is None:
            minimum = max(minimum, tariff.split(Fraction(flat.price), tariff.rate(flat))[1])
            break
    return minimum


def check(tariff: TariffDefinition) -> TariffDefinition:
    """The rules a tariff must keep; the first broken one is raised as `Invalid`."""
    if not is_currency(tariff.currency):
        raise Invalid("currency: an ISO 4217 code such as EUR")
    if not tariff.elements:
        raise Invalid("elements: a tariff has at least one element")
    for number, element in enumerate(tariff.elements):
        _check_element(number, element)
    for name in ("tax_rate", "min_price", "max_price"):
        value = getattr(tariff, name)
        if value is not None and value < 0:
            raise Invalid(f"{name}: may not be negative")
    if tariff.tax_rate is not None and tariff.tax_rate > 100:
        raise Invalid("tax_rate: a percentage from 0 to 100")
    low, high = tariff.min_price, tariff.max_price
    if low is not None and high is not None and low > high:
        raise Invalid("min_price: may not exceed max_price")
    idle = tariff.idle_fee
    if idle is not None:
        if idle.price < 0 or idle.grace_minutes < 0 or idle.step_size < 1:
            raise Invalid(
                "idle_fee: price and grace_minutes may not be negative; step_size is at least 1"
            )
        if idle.vat is not None and not 0 <= idle.vat <= 100:
            raise Invalid("idle_fee: vat is a percentage from 0 to 100")
    return tariff


def _check_element(number: int, element: TariffElement) -> None:
    where = f"elements[{number}]"
    if not element.price_components:
        raise Invalid(f"{where}.price_components: an element has at least one")
    seen: set[Dimension] = set()
    for component in element.price_components:
        if component.type in seen:
            raise Invalid(f"{where}: one price component per type ({component.type} twice)")
        seen.add(component.type)
        if component.price < 0:
            raise Invalid(f"{where}: a price may not be negative")
        if component.step_size < 1:
            raise Invalid(f"{where}: step_size is at least 1")
        if component.vat is not None and not 0 <= component.vat <= 100:
            raise Invalid(f"{where}: vat is a percentage from 0 to 100")
    restrictions = element.restrictions
    if restrictions is None:
        return
    for low, high in (("min_kwh", "max_kwh"), ("min_power", "max_power")):
        low_value, high_value = getattr(restrictions, low), getattr(restrictions, high)
        if low_value is not None and high_value is not None and low_value >= high_value:
            raise Invalid(f"{where}.restrictions: {low} must be below {high}")
    low_s, high_s = restrictions.min_duration, restrictions.max_duration
    if low_s is not None and high_s is not None and low_s >= high_s:
        raise Invalid(f"{where}.restrictions: min_duration must be below max_duration")
    start_d, end_d = restrictions.start_date, restrictions.end_date
    if start_d is not None and end_d is not None and start_d >= end_d:
        raise Invalid(f"{where}.restrictions: start_date must be before end_date")


# The stored and published form (a version's snapshot, a CDR's tariff): OCPI's field names,
# decimals as strings, times "HH:MM", dates "YYYY-MM-DD".


def to_json(tariff: TariffDefinition) -> dict[str, Any]:
    """`idle_fee` only when there is one: a tariff without stays as it was stored before idle
    fees existed (same versions, same CDR snapshots)."""
    found: dict[str, Any] = {
        "currency": tariff.currency,
        "tax_rate": _text(tariff.tax_rate),
        "prices_include_tax": tariff.prices_include_tax,
        "min_price": _text(tariff.min_price),
        "max_price": _text(tariff.max_price),
        "elements": [_element_json(e) for e in tariff.elements],
    }
    if tariff.idle_fee is not None:
        found["idle_fee"] = _idle_json(tariff.idle_fee)
    return found


def _idle_json(idle: IdleFee) -> dict[str, Any]:
    return {
        "price": str(idle.price),
        "grace_minutes": idle.grace_minutes,
        "step_size": idle.step_size,
        "vat": _text(idle.vat),
    }


def _idle_from(data: Mapping[str, Any] | None) -> IdleFee | None:
    if data is None:
        return None
    return IdleFee(
        price=Decimal(str(data["price"])),
        grace_minutes=int(data.get("grace_minutes") or 0),
        step_size=int(data.get("step_size") or 60),
        vat=_decimal(data.get("vat")),
    )


def _element_json(element: TariffElement) -> dict[str, Any]:
    out: dict[str, Any] = {
        "price_components": [
            {
                "type": c.type.value,
                "price": str(c.price),
                "step_size": c.step_size,
                "vat": _text(c.vat),
            }
            for c in element.price_components
        ]
    }
    if element.restrictions is not None:
        r = element.restrictions
        out["restrictions"] = {
            "start_time": None if r.start_time is None else r.start_time.strftime("%H:%M"),
            "end_time": None if r.end_time is None else r.end_time.strftime("%H:%M"),
            "start_date": None if r.start_date is None else r.start_date.isoformat(),
            "end_date": None if r.end_date is None else r.end_date.isoformat(),
            "min_kwh": _text(r.min_kwh),
            "max_kwh": _text(r.max_kwh),
            "min_power": _text(r.min_power),
            "max_power": _text(r.max_power),
            "min_duration": r.min_duration,
            "max_duration": r.max_duration,
            "day_of_week": [d.value for d in r.day_of_week],
        }
    return out


def from_json(data: Mapping[str, Any]) -> TariffDefinition:
    return TariffDefinition(
        currency=data["currency"],
        elements=tuple(_element_from(e) for e in data["elements"]),
        tax_rate=_decimal(data.get("tax_rate")),
        prices_include_tax=bool(data.get("prices_include_tax", False)),
        min_price=_decimal(data.get("min_price")),
        max_price=_decimal(data.get("max_price")),
        idle_fee=_idle_from(data.get("idle_fee")),
    )


def _element_from(data: Mapping[str, Any]) -> TariffElement:
    components = tuple(
        PriceComponent(
            type=Dimension(c["type"]),
            price=Decimal(str(c["price"])),
            step_size=int(c.get("step_size") or 1),
            vat=_decimal(c.get("vat")),
        )
        for c in data["price_components"]
    )
    raw = data.get("restrictions")
    if raw is None:
        return TariffElement(components)
    restrictions = Restrictions(
        start_time=None if raw.get("start_time") is None else time.fromisoformat(raw["start_time"]),
        end_time=None if raw.get("end_time") is None else time.fromisoformat(raw["end_time"]),
        start_date=None if raw.get("start_date") is None else date.fromisoformat(raw["start_date"]),
        end_date=None if raw.get("end_date") is None else date.fromisoformat(raw["end_date"]),
        min_kwh=_decimal(raw.get("min_kwh")),
        max_kwh=_decimal(raw.get("max_kwh")),
        min_power=_decimal(raw.get("min_power")),
        max_power=_decimal(raw.get("max_power")),
        min_duration=raw.get("min_duration"),
        max_duration=raw.get("max_duration"),
        day_of_week=tuple(DayOfWeek(d) for d in raw.get("day_of_week") or ()),
    )
    return TariffElement(components, restrictions)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class Placement:
    """Where a session runs, as far as tariffs are concerned: each level's own tariff, if any.
    `location_tariffs` goes from the station's location up to the root of its site tree.
    `group_tariff` is the tariff of a tariff group the session's ID tag or driver belongs to,
    applying there (`tariff_groups/domain.py: group_tariff`)."""

    station_tariff: str | None = None
    location_tariffs: Sequence[str | None] = ()
    organization_default: str | None = None
    evse_tariff: str | None = None
    group_tariff: str | None = None


def tariff_for(placement: Placement) -> str | None:
    """A tariff group's tariff first (its members' price wherever the group applies); then the
    most specific assignment wins: the EVSE, the station, its location and that location's
    parents, then the organization's default."""
    candidates = (
        placement.group_tariff,
        placement.evse_tariff,
        placement.station_tariff,
        *placement.location_tariffs,
    )
    for tariff_id in candidates:
        if tariff_id is not None:
            return tariff_id
    return placement.organization_default
