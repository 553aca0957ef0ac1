"""Guarantees of costing, for random tariffs and sessions.

- Splitting a session's evidence differently (more readings on the same energy curve) never
  changes its cost, whatever the tariff's restrictions.
- Cost is monotone in time and energy: a session that goes on longer, or delivers more energy
  over the same time, never costs less. This holds for tariffs whose elements switch by time
  (time of day, day of week, duration) and that use one step size per dimension; OCPI's own
  rules break it otherwise (a higher power can select a cheaper element, and a later element
  with a finer step size can bill less rounding than the one before).
- Both hold with an idle fee (parked after energy first flowed, beyond a grace period).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.costing.domain import cost
from chargeyard.costing.evidence import ChargingState, Evidence, MeterPoint, StateChange
from chargeyard.tariffs.domain import (
    WEEKDAYS,
    Dimension,
    IdleFee,
    PriceComponent,
    Restrictions,
    TariffDefinition,
    TariffElement,
)
from tests.costing.factories import T0, hhmm

PROPERTIES = settings(max_examples=60, deadline=None)
prices = st.decimals(min_value=0, max_value=3, places=2)
STEPS = {
    Dimension.ENERGY: [1, 100, 1000],
    Dimension.TIME: [1, 60, 900],
    Dimension.PARKING_TIME: [1, 300],
}


@st.composite
def restrictions(draw: st.DrawFn, *, by_time_only: bool) -> Restrictions | None:
    if draw(st.booleans()):
        return None
    hours = draw(st.lists(st.integers(0, 23), min_size=2, max_size=2, unique=True))
    fields: dict[str, object] = {}
    if draw(st.booleans()):
        fields |= {"start_time": hhmm(f"{hours[0]:02}:00"), "end_time": hhmm(f"{hours[1]:02}:30")}
    if draw(st.booleans()):
        fields["day_of_week"] = tuple(draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1)))
    if draw(st.booleans()):
        fields["max_duration"] = draw(st.integers(60, 7200))
    if not by_time_only:
        if draw(st.booleans()):
            fields["min_kwh"] = Decimal(draw(st.integers(0, 20)))
        if draw(st.booleans()):
            fields["max_power"] = Decimal(draw(st.integers(1, 50)))
    return Restrictions(**fields)  # type: ignore[arg-type]


@st.composite
def tariffs(draw: st.DrawFn, *, by_time_only: bool = False) -> TariffDefinition:
    steps = {d: draw(st.sampled_from(choices)) for d, choices in STEPS.items()}
    elements = []
    for _ in range(draw(st.integers(1, 3))):
        kinds = draw(st.sets(st.sampled_from(list(Dimension)), min_size=1))
        components = tuple(
            PriceComponent(
                kind,
                draw(prices),
                steps.get(kind, 1) if by_time_only else draw(st.sampled_from([1, 60, 300])),
                draw(st.sampled_from([None, Decimal(0), Decimal(19)])),
            )
            for kind in sorted(kinds)
        )
        elements.append(TariffElement(components, draw(restrictions(by_time_only=by_time_only))))
    return TariffDefinition(
        "EUR",
        tuple(elements),
        tax_rate=draw(st.sampled_from([None, Decimal(20)])),
        prices_include_tax=draw(st.booleans()),
        min_price=draw(st.sampled_from([None, Decimal("0.50")])),
        max_price=draw(st.sampled_from([None, Decimal(40)])),
        idle_fee=draw(st.none() | idle_fees()),
    )


@st.composite
def idle_fees(draw: st.DrawFn) -> IdleFee:
    return IdleFee(
        draw(prices),
        draw(st.sampled_from([0, 10, 60])),
        draw(st.sampled_from([1, 60, 900])),
        draw(st.sampled_from([None, Decimal(7)])),
    )


@st.composite
def sessions(draw: st.DrawFn) -> Evidence:
    start = T0 + timedelta(minutes=draw(st.integers(0, 7 * 24 * 60)))
    at, wh = start, Fraction(draw(st.integers(0, 10_000)))
    points = [MeterPoint(at, wh)]
    for _ in range(draw(st.integers(1, 5))):
        at += timedelta(seconds=draw(st.integers(1, 3 * 3600)))
        wh += draw(st.integers(0, 20_000))
        points.append(MeterPoint(at, wh))
    states = tuple(
        StateChange(start + (at - start) * share / 10, state)
        for share, state in sorted(
            draw(
                st.dictionaries(st.integers(1, 9), st.sampled_from(list(ChargingState)), max_size=3)
            ).items()
        )
    )
    return Evidence(start, at, tuple(points), states)


def resampled(evidence: Evidence, shares: list[int]) -> Evidence:
    """The same session with extra readings exactly on its energy curve."""
    span = evidence.ended_at - evidence.started_at
    extra = {evidence.started_at + span * share / 1000 for share in shares}
    instants = sorted({p.at for p in evidence.meter} | extra)
    base = evidence.meter[0].wh
    points = tuple(MeterPoint(at, base + evidence.energy_at(at)) for at in instants)
    return Evidence(evidence.started_at, evidence.ended_at, points, evidence.states)


@PROPERTIES
@given(tariffs(), sessions(), st.lists(st.integers(1, 999), min_size=1, max_size=6))
def test_splitting_the_evidence_differently_gives_the_same_total(
    tariff: TariffDefinition, evidence: Evidence, shares: list[int]
) -> None:
    assert cost(tariff, resampled(evidence, shares)).exact == cost(tariff, evidence).exact


@PROPERTIES
@given(tariffs(by_time_only=True), sessions(), st.integers(1, 4 * 3600), st.integers(0, 20_000))
def test_a_longer_session_never_costs_less(
    tariff: TariffDefinition, evidence: Evidence, more_s: int, more_wh: int
) -> None:
    later = evidence.ended_at + timedelta(seconds=more_s)
    longer = Evidence(
        evidence.started_at,
        later,
        (*evidence.meter, MeterPoint(later, evidence.meter[-1].wh + more_wh)),
        evidence.states,
    )
    before, after = cost(tariff, evidence).exact, cost(tariff, longer).exact
    assert after.excl >= before.excl and after.incl >= before.incl


@PROPERTIES
@given(tariffs(by_time_only=True), sessions(), st.integers(0, 5), st.integers(1, 20_000))
def test_more_energy_in_the_same_time_never_costs_less(
    tariff: TariffDefinition, evidence: Evidence, from_point: int, more_wh: int
) -> None:
    first = min(from_point, len(evidence.meter) - 1) or 1
    more = tuple(
        MeterPoint(p.at, p.wh + (more_wh if n >= first else 0))
        for n, p in enumerate(evidence.meter)
    )
    richer = Evidence(evidence.started_at, evidence.ended_at, more, evidence.states)
    before, after = cost(tariff, evidence).exact, cost(tariff, richer).exact
    assert after.excl >= before.excl and after.incl >= before.incl


def test_resampling_keeps_the_curve() -> None:
    start = datetime(2026, 1, 1, tzinfo=T0.tzinfo)
    evidence = Evidence(
        start,
        start + timedelta(hours=1),
        (MeterPoint(start, Fraction(0)), MeterPoint(start + timedelta(hours=1), Fraction(1000))),
    )
    assert resampled(evidence, [500]).meter[1].wh == 500
