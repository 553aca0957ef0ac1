"""Pricing a session's segments against a tariff (OCPI 2.2.1 semantics). Pure.

Rules, in order:
1. In each segment, for each dimension, the first element with a component of that dimension
   whose restrictions hold is in force (`restrictions.holds`); none in force: free.
2. ENERGY prices the Wh delivered in the segment; TIME the seconds spent charging; PARKING_TIME
   the seconds parked. FLAT is charged once, from the first segment in which a FLAT component is
   in force.
3. Step size: each element's volume of a dimension (summed over the session) is rounded up to a
   multiple of that element's own step size. OCPI 2.2.1 rounds a run's total at the last
   element in force instead; that rule lets a longer session cost less (a last element that is
   cheaper, or has a finer step, takes over the rounding), so Chargeyard keeps cost monotone in
   time and energy, which the property tests check, at the price of the spec's "switching"
   examples (35 minutes split 25/10 between 30- and 15-minute steps bill 30 + 15, not 45 at the
   later price).
4. Tax per component (its `vat`, else the tariff's rate); prices stated including tax are split
   back out exactly.
5. The total excluding tax is held between the minimum and maximum price excluding tax, and the
   total including tax between theirs, each on its own (as OCPI requires).
6. The idle fee (`IdleFee`, a Chargeyard extension): the seconds parked after the first energy
   flowed, beyond the grace period summed over the session, rounded up to its step size and
   priced per hour; added after the bounds of rule 5.
7. All of this is exact (fractions); the totals are rounded once to the currency's minor unit,
   half away from zero. Per-dimension costs are rounded the same way for display; they need not
   add up to the rounded total, which is authoritative.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from math import ceil
from zoneinfo import ZoneInfo

from chargeyard.costing.evidence import ChargingState, Evidence, seconds
from chargeyard.costing.restrictions import Conditions, boundaries, holds
from chargeyard.costing.timeline import Segment, segments
from chargeyard.money import round_money
from chargeyard.tariffs.domain import Dimension, PriceComponent, TariffDefinition

METERED = (Dimension.ENERGY, Dimension.TIME, Dimension.PARKING_TIME)
# What one step of `step_size` is, and how many of them a priced unit holds (kWh, hour).
_UNITS_PER_PRICE = {Dimension.ENERGY: 1000, Dimension.TIME: 3600, Dimension.PARKING_TIME: 3600}


@dataclass(frozen=True)
class Amount:
    """An exact amount, excluding and including tax."""

    excl: Fraction = Fraction(0)
    incl: Fraction = Fraction(0)

    def __add__(self, other: "Amount") -> "Amount":
        return Amount(self.excl + other.excl, self.incl + other.incl)


@dataclass(frozen=True)
class Price:
    """A rounded amount, as CDRs and the API show it."""

    excl_tax: Decimal
    incl_tax: Decimal


@dataclass(frozen=True)
class Period:
    """A charging period of the CDR: consecutive segments with the same state and the same
    elements in force. Volumes in the CDR's units: kWh and hours."""

    start: datetime
    end: datetime
    state: ChargingState
    elements: tuple[int | None, ...]  # the element in force per METERED dimension
    energy_kwh: Fraction
    hours: Fraction


@dataclass(frozen=True)
class Cost:
    currency: str
    total: Price
    energy_kwh: Fraction
    time_hours: Fraction
    parking_hours: Fraction
    by_dimension: dict[Dimension, Price]
    periods: tuple[Period, ...]
    exact: Amount = field(default_factory=Amount)
    idle_hours: Fraction = Fraction(0)  # billed: beyond the grace period, before rounding up
    idle: Price = Price(Decimal(0), Decimal(0))


def cost(tariff: TariffDefinition, evidence: Evidence) -> Cost:
    """The cost of a session (so far, for a running one) under a tariff."""
    zone = ZoneInfo(evidence.timezone)
    parts = segments(evidence, boundaries(tariff, evidence), at_readings=_prices_by_power(tariff))
    in_force = [_in_force(tariff, evidence, segment, zone) for segment in parts]
    amounts = {dimension: Amount() for dimension in Dimension}
    for dimension in METERED:
        amounts[dimension] = _metered(tariff, dimension, parts, in_force)
    amounts[Dimension.FLAT] = _flat(tariff, evidence, in_force, zone)
    exact = sum(amounts.values(), Amount())
    idle_s = _idle_seconds(tariff, evidence, parts)
    idle = _idle(tariff, idle_s)
    total = _bounded(tariff, exact) + idle
    currency = tariff.currency
    return Cost(
        currency=currency,
        total=Price(round_money(total.excl, currency), round_money(total.incl, currency)),
        energy_kwh=sum((s.wh for s in parts), Fraction(0)) / 1000,
        time_hours=_hours(parts, ChargingState.CHARGING),
        parking_hours=_hours(parts, ChargingState.PARKED),
        by_dimension={
            d: Price(round_money(a.excl, currency), round_money(a.incl, currency))
            for d, a in amounts.items()
        },
        periods=_periods(parts, in_force),
        exact=total,
        idle_hours=idle_s / 3600,
        idle=Price(round_money(idle.excl, currency), round_money(idle.incl, currency)),
    )


def _idle_seconds(tariff: TariffDefinition, evidence: Evidence, parts: list[Segment]) -> Fraction:
    """Seconds parked after charging began (the first instant energy flowed), beyond the grace
    period. A measure of time, so it does not depend on how the session was cut into segments,
    and it only grows as the session goes on or delivers more."""
    if tariff.idle_fee is None:
        return Fraction(0)
    began = evidence.energy_began()
    if began is None:
        return Fraction(0)
    parked = sum(
        (
            seconds(s.end - max(s.start, began))
            for s in parts
            if s.state is ChargingState.PARKED and s.end > began
        ),
        Fraction(0),
    )
    return max(Fraction(0), parked - tariff.idle_fee.grace_minutes * 60)


def _idle(tariff: TariffDefinition, idle_s: Fraction) -> Amount:
    fee = tariff.idle_fee
    if fee is None or idle_s <= 0:
        return Amount()
    billed = Fraction(ceil(idle_s / fee.step_size) * fee.step_size)
    excl, incl = tariff.split(billed * Fraction(fee.price) / 3600, tariff.rate(fee))
    return Amount(excl, incl)


def _prices_by_power(tariff: TariffDefinition) -> bool:
    return any(
        e.restrictions is not None
        and (e.restrictions.min_power is not None or e.restrictions.max_power is not None)
        for e in tariff.elements
    )


def _in_force(
    tariff: TariffDefinition, evidence: Evidence, segment: Segment, zone: ZoneInfo
) -> dict[Dimension, int | None]:
    now = Conditions(
        local=segment.start.astimezone(zone),
        elapsed_s=seconds(segment.start - evidence.started_at),
        energy_kwh=segment.wh_before / 1000,
        power_kw=segment.power_kw,
    )
    active = [holds(element.restrictions, now) for element in tariff.elements]
    return {dimension: _first(tariff, dimension, active) for dimension in Dimension}


def _first(tariff: TariffDefinition, dimension: Dimension, active: list[bool]) -> int | None:
    for number, element in enumerate(tariff.elements):
        if active[number] and element.component(dimension) is not None:
            return number
    return None


def _volume(dimension: Dimension, segment: Segment) -> Fraction:
    """Wh for ENERGY, seconds for the times: the units step sizes count in."""
    if dimension is Dimension.ENERGY:
        return segment.wh
    wanted = ChargingState.CHARGING if dimension is Dimension.TIME else ChargingState.PARKED
    return segment.seconds if segment.state is wanted else Fraction(0)


def _metered(
    tariff: TariffDefinition,
    dimension: Dimension,
    parts: list[Segment],
    in_force: list[dict[Dimension, int | None]],
) -> Amount:
    """Volumes are summed per element first and priced once (pricing is linear, so this is the
    same as pricing each segment, with far fewer operations on fractions)."""
    volumes: dict[int, Fraction] = {}
    for segment, forced in zip(parts, in_force, strict=True):
        number = forced[dimension]
        if number is not None:
            volumes[number] = volumes.get(number, Fraction(0)) + _volume(dimension, segment)
    for number, volume in volumes.items():
        volumes[number] = _rounded_up(tariff, dimension, number, volume)
    total = Amount()
    for number, volume in volumes.items():
        component = tariff.elements[number].component(dimension)
        assert component is not None  # _first only picks elements that price the dimension
        total += _priced(tariff, dimension, component, volume)
    return total


def _rounded_up(
    tariff: TariffDefinition, dimension: Dimension, number: int, volume: Fraction
) -> Fraction:
    """An element's volume billed up to a multiple of its own component's step size."""
    component = tariff.elements[number].component(dimension)
    assert component is not None
    step = component.step_size
    return Fraction(ceil(volume / step) * step) if volume > 0 else volume


def _priced(
    tariff: TariffDefinition, dimension: Dimension, component: PriceComponent, volume: Fraction
) -> Amount:
    amount = volume * Fraction(component.price) / _UNITS_PER_PRICE[dimension]
    excl, incl = tariff.split(amount, tariff.rate(component))
    return Amount(excl, incl)


def _flat(
    tariff: TariffDefinition,
    evidence: Evidence,
    in_force: list[dict[Dimension, int | None]],
    zone: ZoneInfo,
) -> Amount:
    if not in_force:  # a session of no duration is still a session: read at its start
        now = Conditions(
            evidence.started_at.astimezone(zone), Fraction(0), Fraction(0), Fraction(0)
        )
        active = [holds(element.restrictions, now) for element in tariff.elements]
        in_force = [{Dimension.FLAT: _first(tariff, Dimension.FLAT, active)}]
    for forced in in_force:
        number = forced[Dimension.FLAT]
        if number is not None:
            component = tariff.elements[number].component(Dimension.FLAT)
            assert component is not None
            excl, incl = tariff.split(Fraction(component.price), tariff.rate(component))
            return Amount(excl, incl)
    return Amount()


def _bounded(tariff: TariffDefinition, exact: Amount) -> Amount:
    low, high = tariff.bounds()
    excl, incl = exact.excl, exact.incl
    if low is not None:
        excl, incl = max(excl, low[0]), max(incl, low[1])
    if high is not None:
        excl, incl = min(excl, high[0]), min(incl, high[1])
    return Amount(excl, incl)


def _hours(parts: list[Segment], state: ChargingState) -> Fraction:
    return sum((s.seconds for s in parts if s.state is state), Fraction(0)) / 3600


def _periods(
    parts: list[Segment], in_force: list[dict[Dimension, int | None]]
) -> tuple[Period, ...]:
    periods: list[Period] = []
    for segment, forced in zip(parts, in_force, strict=True):
        elements = tuple(forced[d] for d in METERED)
        if periods and periods[-1].state is segment.state and periods[-1].elements == elements:
            last = periods[-1]
            periods[-1] = Period(
                last.start,
                segment.end,
                last.state,
                elements,
                last.energy_kwh + segment.wh / 1000,
                last.hours + segment.seconds / 3600,
            )
        else:
            periods.append(
                Period(
                    segment.start,
                    segment.end,
                    segment.state,
                    elements,
                    segment.wh / 1000,
                    segment.seconds / 3600,
                )
            )
    return tuple(periods)
