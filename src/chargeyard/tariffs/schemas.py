"""Tariff request and response bodies: OCPI 2.2.1's Tariff fields, prices as decimal strings."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.tariffs.domain import (
    DayOfWeek,
    Dimension,
    IdleFee,
    PriceComponent,
    Restrictions,
    TariffDefinition,
    TariffElement,
)

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)]
TimeOfDay = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class PriceComponentIn(Input):
    type: Dimension
    price: Money
    step_size: Annotated[int, Field(ge=1)] = 1
    vat: Percent | None = None


class RestrictionsIn(Input):
    start_time: TimeOfDay | None = None
    end_time: TimeOfDay | None = None
    start_date: date | None = None
    end_date: date | None = None
    min_kwh: Money | None = None
    max_kwh: Money | None = None
    min_power: Money | None = None
    max_power: Money | None = None
    min_duration: Annotated[int, Field(ge=0)] | None = None
    max_duration: Annotated[int, Field(ge=0)] | None = None
    day_of_week: list[DayOfWeek] = Field(default_factory=list)


class ElementIn(Input):
    price_components: Annotated[list[PriceComponentIn], Field(min_length=1)]
    restrictions: RestrictionsIn | None = None


class IdleFeeIn(Input):
    """Per hour parked after charging has finished, beyond `grace_minutes` (billing.md)."""

    price: Money
    grace_minutes: Annotated[int, Field(ge=0, le=10080)] = 0
    step_size: Annotated[int, Field(ge=1, le=86400)] = 60
    vat: Percent | None = None


class Pricing(Input):
    """The fields that make up a version: changing any of them makes a new one."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    elements: Annotated[list[ElementIn], Field(min_length=1)]
    tax_rate: Percent | None = None
    prices_include_tax: bool = False
    min_price: Money | None = None
    max_price: Money | None = None
    idle_fee: IdleFeeIn | None = None


class TariffCreate(Pricing):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=500)] | None = None
    is_default: bool = False


class TariffPatch(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=500)] | None = None
    is_default: bool | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    elements: Annotated[list[ElementIn], Field(min_length=1)] | None = None
    tax_rate: Percent | None = None
    prices_include_tax: bool | None = None
    min_price: Money | None = None
    max_price: Money | None = None
    idle_fee: IdleFeeIn | None = None

    _not_null = refuse_null("name", "is_default", "currency", "elements", "prices_include_tax")


PRICING_FIELDS = frozenset(Pricing.model_fields)


def definition(fields: dict[str, Any]) -> TariffDefinition:
    """The domain tariff from validated pricing fields (as `model_dump()` gives them)."""
    return TariffDefinition(
        currency=fields["currency"],
        elements=tuple(_element(e) for e in fields["elements"]),
        tax_rate=fields.get("tax_rate"),
        prices_include_tax=bool(fields.get("prices_include_tax")),
        min_price=fields.get("min_price"),
        max_price=fields.get("max_price"),
        idle_fee=_idle(fields.get("idle_fee")),
    )


def _idle(data: dict[str, Any] | None) -> IdleFee | None:
    if data is None:
        return None
    return IdleFee(data["price"], data["grace_minutes"], data["step_size"], data.get("vat"))


def patched(
    current: dict[str, Any], body: "TariffPatch"
) -> tuple[dict[str, Any], TariffDefinition | None]:
    """A PATCH's changes, and the tariff's new pricing when it sends a price field: the
    current definition with the sent fields over it (None: the prices stay as they are)."""
    sent = body.model_fields_set
    changes = {name: value for name, value in body.model_dump().items() if name in sent}
    if not PRICING_FIELDS & sent:
        return changes, None
    pricing = Pricing.model_validate(current).model_dump()
    return changes, definition(pricing | {k: v for k, v in changes.items() if k in PRICING_FIELDS})


def _element(data: dict[str, Any]) -> TariffElement:
    components = tuple(
        PriceComponent(Dimension(c["type"]), c["price"], c["step_size"], c.get("vat"))
        for c in data["price_components"]
    )
    raw = data.get("restrictions")
    if raw is None:
        return TariffElement(components)
    return TariffElement(
        components,
        Restrictions(
            start_time=_time(raw.get("start_time")),
            end_time=_time(raw.get("end_time")),
            start_date=raw.get("start_date"),
            end_date=raw.get("end_date"),
            min_kwh=raw.get("min_kwh"),
            max_kwh=raw.get("max_kwh"),
            min_power=raw.get("min_power"),
            max_power=raw.get("max_power"),
            min_duration=raw.get("min_duration"),
            max_duration=raw.get("max_duration"),
            day_of_week=tuple(DayOfWeek(d) for d in raw.get("day_of_week") or ()),
        ),
    )


def _time(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)


class TariffOut(Resource):
    id: str
    name: str
    description: str | None
    currency: str
    is_default: bool
    version: int
    elements: list[dict[str, Any]]
    tax_rate: str | None
    prices_include_tax: bool
    min_price: str | None
    max_price: str | None
    idle_fee: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Any) -> "TariffOut":
        return cls.model_validate(
            {
                **{name: getattr(row, name) for name in _ROW_FIELDS},
                **{k: v for k, v in row.definition.items() if k != "currency"},
            }
        )


_ROW_FIELDS = (
    "id",
    "name",
    "description",
    "currency",
    "is_default",
    "version",
    "created_at",
    "updated_at",
)


class TariffVersionOut(Resource):
    version: int
    name: str
    valid_from: datetime
    definition: dict[str, Any]
