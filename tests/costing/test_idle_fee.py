"""The idle fee: per hour parked after charging has finished, beyond a grace period."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from chargeyard.costing.domain import cost
from chargeyard.costing.evidence import ChargingState, Evidence, MeterPoint, StateChange
from chargeyard.tariffs.domain import IdleFee, TariffDefinition
from tests.costing.factories import T0, component, element, session, tariff


def idle_tariff(grace: int = 15, step: int = 60, **fields: object) -> TariffDefinition:
    return tariff(
        element(component("ENERGY", "0.30")),
        idle_fee=IdleFee(Decimal("6.00"), grace, step),
        **fields,
    )


def totals(priced: TariffDefinition, evidence: Evidence) -> tuple[str, str, str]:
    result = cost(priced, evidence)
    return str(result.total.excl_tax), str(result.idle.excl_tax), str(result.idle_hours)


def test_parked_time_beyond_the_grace_period_is_billed() -> None:
    """60 minutes charging 10 kWh (3.00), then 55 parked: 40 beyond the 15 of grace at 6/h."""
    assert totals(idle_tariff(), session(115, 10_000, parked_after=60)) == ("7.00", "4.00", "2/3")


def test_within_the_grace_period_nothing_is_billed() -> None:
    assert totals(idle_tariff(), session(75, 10_000, parked_after=60)) == ("3.00", "0.00", "0")


def test_idle_time_rounds_up_to_the_step() -> None:
    """41 minutes beyond grace with 15-minute steps bill 45 minutes: 4.50."""
    priced = idle_tariff(step=900)
    assert totals(priced, session(116, 10_000, parked_after=60))[1] == "4.50"


def test_parking_before_any_energy_flowed_is_not_idle() -> None:
    """Plugged in, parked (EVConnected) for an hour before the car draws: no idle fee."""
    start = T0
    states = (
        StateChange(start, ChargingState.PARKED),
        StateChange(start + timedelta(minutes=60), ChargingState.CHARGING),
    )
    points = (
        MeterPoint(start, Fraction(0)),
        MeterPoint(start + timedelta(minutes=60), Fraction(0)),
        MeterPoint(start + timedelta(minutes=90), Fraction(5000)),
    )
    evidence = Evidence(start, start + timedelta(minutes=90), points, states)
    assert totals(idle_tariff(grace=0), evidence) == ("1.50", "0.00", "0")


def test_the_idle_fee_is_outside_the_maximum_price_and_taxed() -> None:
    priced = idle_tariff(max_price=Decimal("2.00"), tax_rate=Decimal(20))
    result = cost(priced, session(115, 10_000, parked_after=60))
    assert (str(result.total.excl_tax), str(result.total.incl_tax)) == ("6.00", "7.20")
    assert (str(result.idle.excl_tax), str(result.idle.incl_tax)) == ("4.00", "4.80")
