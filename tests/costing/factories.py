"""Tariffs and evidence for costing tests, built in code (no JSON blobs)."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from chargeyard.costing.evidence import ChargingState, Evidence, StateChange, meter_curve
from chargeyard.tariffs.domain import (
    Dimension,
    PriceComponent,
    Restrictions,
    TariffDefinition,
    TariffElement,
)

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)  # a Monday


def component(kind: str, price: str, step: int = 1, vat: str | None = None) -> PriceComponent:
    return PriceComponent(
        Dimension(kind), Decimal(price), step, None if vat is None else Decimal(vat)
    )


def element(*components: PriceComponent, **restrictions: object) -> TariffElement:
    return TariffElement(components, Restrictions(**restrictions) if restrictions else None)  # type: ignore[arg-type]


def tariff(*elements: TariffElement, **fields: object) -> TariffDefinition:
    return TariffDefinition("EUR", elements, **fields)  # type: ignore[arg-type]


def session(
    minutes: float,
    wh: int,
    *,
    start: datetime = T0,
    parked_after: float | None = None,
    readings: tuple[tuple[float, int], ...] = (),
    timezone: str = "UTC",
) -> Evidence:
    """A session of `minutes` delivering `wh`, linearly unless `readings` (minute, Wh) say
    otherwise; parked from `parked_after` minutes on."""
    end = start + timedelta(minutes=minutes)
    points = [(start + timedelta(minutes=m), w) for m, w in readings]
    states = ()
    if parked_after is not None:
        states = (StateChange(start + timedelta(minutes=parked_after), ChargingState.PARKED),)
    return Evidence(start, end, meter_curve(start, 0, points, end, wh), states, timezone)


def hhmm(text: str) -> time:
    return time.fromisoformat(text)


def exact(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)
