"""Costing against the OCPI 2.2.1 tariff examples, and the rules the examples leave implicit."""

from decimal import Decimal

from chargeyard.costing.domain import cost
from chargeyard.tariffs.domain import Dimension
from tests.costing.factories import component, element, hhmm, session, tariff


def totals(result: object) -> tuple[str, str]:
    total = result.total  # type: ignore[attr-defined]
    return str(total.excl_tax), str(total.incl_tax)


def test_energy_per_kwh_with_vat() -> None:
    simple = tariff(element(component("ENERGY", "0.25", vat="10")))
    assert totals(cost(simple, session(60, 20_000))) == ("5.00", "5.50")


def test_start_fee_has_its_own_vat() -> None:
    priced = tariff(
        element(component("FLAT", "0.50", vat="20"), component("ENERGY", "0.25", vat="10"))
    )
    assert totals(cost(priced, session(60, 20_000))) == ("5.50", "6.10")


def test_minimum_price_lifts_a_small_session() -> None:
    priced = tariff(
        element(component("ENERGY", "0.25")), tax_rate=Decimal(10), min_price=Decimal("0.50")
    )
    assert totals(cost(priced, session(60, 1_000))) == ("0.50", "0.55")
    assert totals(cost(priced, session(60, 20_000))) == ("5.00", "5.50")


def test_maximum_price_caps_a_big_session() -> None:
    priced = tariff(
        element(component("FLAT", "0.50", vat="20"), component("ENERGY", "0.25", vat="10")),
        tax_rate=Decimal(10),
        max_price=Decimal("10"),
    )
    assert totals(cost(priced, session(120, 50_000))) == ("10.00", "11.00")
    assert totals(cost(priced, session(120, 30_000))) == ("8.00", "8.85")


def test_charging_and_parking_time_with_step_sizes() -> None:
    """OCPI: 3 EUR/h charging per minute, 5 EUR/h parking per 5 minutes; 150 + 42 minutes."""
    priced = tariff(
        element(
            component("TIME", "3.00", 60, vat="10"),
            component("PARKING_TIME", "5.00", 300, vat="20"),
        )
    )
    assert totals(cost(priced, session(192, 30_000, parked_after=150))) == ("11.25", "12.75")


def test_each_element_rounds_to_its_own_step() -> None:
    """OCPI's switching example 2 (16:35 to 17:10, 25 minutes at 1.20/h with 30-minute steps,
    then 10 minutes at 2.40/h with 15-minute steps) billed element by element: 30 minutes at
    1.20/h and 15 at 2.40/h. OCPI rounds the total at the last element instead (1.30), which can
    make a longer session cost less; see docs/billing.md."""
    priced = tariff(
        element(component("TIME", "1.20", 1800), end_time=hhmm("17:00")),
        element(component("TIME", "2.40", 900), start_time=hhmm("17:00")),
    )
    start = session(0, 0).started_at.replace(hour=16, minute=35)
    assert totals(cost(priced, session(35, 1_000, start=start))) == ("1.20", "1.20")


def test_energy_step_rounds_up() -> None:
    priced = tariff(element(component("ENERGY", "0.25", 100)))
    result = cost(priced, session(60, 20_450))
    assert totals(result) == ("5.13", "5.13")  # 20.5 kWh billed, 5.125 rounded half up


def test_time_of_day_reads_local_time() -> None:
    """09:30 UTC is 10:30 in Berlin (winter): the daytime price applies from the start."""
    priced = tariff(
        element(component("ENERGY", "0.50"), start_time=hhmm("10:00"), end_time=hhmm("22:00")),
        element(component("ENERGY", "0.20")),
    )
    assert totals(cost(priced, session(60, 10_000, timezone="Europe/Berlin"))) == ("5.00", "5.00")
    assert totals(cost(priced, session(60, 10_000, timezone="UTC"))) == ("3.50", "3.50")


def test_night_window_spans_midnight() -> None:
    priced = tariff(
        element(component("ENERGY", "0.10"), start_time=hhmm("22:00"), end_time=hhmm("06:00")),
        element(component("ENERGY", "0.40")),
    )
    start = session(0, 0).started_at.replace(hour=23, minute=0)
    assert totals(cost(priced, session(120, 10_000, start=start))) == ("1.00", "1.00")


def test_energy_tiers_switch_where_the_energy_passes_the_limit() -> None:
    """The first kWh is free; the rest costs 0.20 (OCPI's first-kWh-free example)."""
    priced = tariff(
        element(component("ENERGY", "0.00"), max_kwh=Decimal(1)),
        element(component("ENERGY", "0.20")),
    )
    assert totals(cost(priced, session(60, 20_000))) == ("3.80", "3.80")


def test_power_tiers_price_each_stretch_by_its_power() -> None:
    """OCPI's max_power example: 1 kWh at 6 kW, 40 kWh at 48 kW, 0.5 kWh at 4 kW."""
    priced = tariff(
        element(component("ENERGY", "0.20"), max_power=Decimal(16)),
        element(component("ENERGY", "0.35"), max_power=Decimal(32)),
        element(component("ENERGY", "0.50")),
    )
    evidence = session(67.5, 41_500, readings=((10, 1_000), (60, 41_000)))
    assert totals(cost(priced, evidence)) == ("20.30", "20.30")


def test_duration_restriction_makes_the_first_hour_free() -> None:
    priced = tariff(
        element(component("PARKING_TIME", "0.00"), max_duration=3600),
        element(component("PARKING_TIME", "2.00", 60)),
    )
    assert totals(cost(priced, session(150, 0, parked_after=0))) == ("3.00", "3.00")


def test_prices_including_tax_are_split_back_out() -> None:
    priced = tariff(
        element(component("ENERGY", "0.36")), tax_rate=Decimal(20), prices_include_tax=True
    )
    assert totals(cost(priced, session(60, 10_000))) == ("3.00", "3.60")


def test_no_element_for_a_dimension_makes_it_free() -> None:
    priced = tariff(element(component("ENERGY", "0.30")))
    result = cost(priced, session(90, 10_000, parked_after=60))
    assert totals(result) == ("3.00", "3.00")
    assert result.by_dimension[Dimension.PARKING_TIME].excl_tax == 0
    assert [p.state.value for p in result.periods] == ["CHARGING", "PARKED"]


def test_a_session_of_no_duration_pays_the_flat_fee() -> None:
    priced = tariff(element(component("FLAT", "1.00"), component("ENERGY", "0.30")))
    assert totals(cost(priced, session(0, 0))) == ("1.00", "1.00")


def test_the_worked_example_in_billing_md() -> None:
    from datetime import timedelta

    from chargeyard.costing.evidence import ChargingState, Evidence, StateChange, meter_curve

    day = dict(start_time=hhmm("07:00"), end_time=hhmm("22:00"))
    priced = tariff(
        element(
            component("FLAT", "1.00"),
            component("ENERGY", "0.39"),
            component("PARKING_TIME", "6.00", 300),
            **day,
        ),
        element(
            component("FLAT", "1.00"),
            component("ENERGY", "0.29"),
            component("PARKING_TIME", "2.00", 300),
        ),
        tax_rate=Decimal(19),
    )
    start = session(0, 0).started_at.replace(month=3, day=2, hour=20, minute=30)
    readings = [
        (start + timedelta(minutes=m), wh) for m, wh in ((15, 16500), (30, 21000), (45, 25500))
    ]
    end = start + timedelta(minutes=82)
    parked = (StateChange(start + timedelta(minutes=45), ChargingState.PARKED),)
    evidence = Evidence(
        start, end, meter_curve(start, 12000, readings, end, 25500), parked, "Europe/Berlin"
    )
    result = cost(priced, evidence)
    assert totals(result) == ("7.15", "8.51")
    assert str(result.by_dimension[Dimension.PARKING_TIME].excl_tax) == "1.33"
    assert [(p.elements, p.state.value) for p in result.periods] == [
        ((0, None, 0), "CHARGING"),
        ((1, None, 1), "CHARGING"),
        ((1, None, 1), "PARKED"),
    ]
