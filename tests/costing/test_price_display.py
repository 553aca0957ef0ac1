"""The tariff line a station shows a driver: the prices in force at a session's start,
including tax, by the rule that prices sessions."""

from datetime import UTC, datetime
from decimal import Decimal

from chargeyard.costing.price_display import MAX_CHARS, tariff_text
from chargeyard.tariffs.domain import IdleFee, TariffDefinition
from tests.costing.factories import component, element, hhmm, tariff

# docs/billing.md's tariff: a day element (07:00-22:00 local) and a night element, 19 % tax.
DAY_AND_NIGHT = tariff(
    element(
        component("FLAT", "1.00"),
        component("ENERGY", "0.39"),
        component("PARKING_TIME", "6.00", 300),
        start_time=hhmm("07:00"),
        end_time=hhmm("22:00"),
    ),
    element(
        component("FLAT", "1.00"),
        component("ENERGY", "0.29"),
        component("PARKING_TIME", "2.00", 300),
    ),
    tax_rate=Decimal(19),
)
VARY = ". Prices vary by time, energy or power."


def test_the_element_in_force_at_the_start_in_local_time() -> None:
    # 20:30 UTC is 21:30 in Berlin (CET): the day element; 21:30 UTC is 22:30: the night one.
    day = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
    night = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
    assert tariff_text(DAY_AND_NIGHT, day, "Europe/Berlin") == (
        "0.4641 EUR/kWh, 7.14 EUR/h parked, 1.19 EUR per session (incl. 19% tax)" + VARY
    )
    assert tariff_text(DAY_AND_NIGHT, night, "Europe/Berlin") == (
        "0.3451 EUR/kWh, 2.38 EUR/h parked, 1.19 EUR per session (incl. 19% tax)" + VARY
    )


def test_prices_stated_with_tax_are_shown_as_stated() -> None:
    gross = tariff(
        element(component("ENERGY", "0.49"), component("TIME", "1.20", 60)),
        tax_rate=Decimal(19),
        prices_include_tax=True,
        idle_fee=IdleFee(Decimal("6.00"), grace_minutes=15),
    )
    assert tariff_text(gross, datetime(2026, 1, 1, tzinfo=UTC), "UTC") == (
        "0.49 EUR/kWh, 1.20 EUR/h charging, idle fee 6.00 EUR/h after 15 min (incl. 19% tax)"
    )


def test_power_tiers_show_the_first_tier_and_say_prices_vary() -> None:
    tiers = tariff(
        element(component("ENERGY", "0.59"), min_power=Decimal(50)),
        element(component("ENERGY", "0.39")),
    )
    # Power is unknown before the car draws: the first element with the dimension is shown
    # (power restrictions are not read), and the line says that prices vary.
    assert tariff_text(tiers, datetime(2026, 1, 1, tzinfo=UTC), "UTC") == "0.59 EUR/kWh" + VARY


def test_a_currency_without_minor_units_and_an_empty_price_list() -> None:
    yen = TariffDefinition("JPY", (element(component("FLAT", "500")),))
    assert tariff_text(yen, datetime(2026, 1, 1, tzinfo=UTC), "UTC") == "500 JPY per session"
    later = tariff(element(component("ENERGY", "0.30"), min_duration=3600))
    assert tariff_text(later, datetime(2026, 1, 1, tzinfo=UTC), "UTC") == ("free of charge" + VARY)


def test_the_line_fits_a_message() -> None:
    many = tariff(
        *(element(component("ENERGY", f"0.{n:02d}"), day_of_week=()) for n in range(10, 99)),
        tax_rate=Decimal("19.5"),
    )
    assert len(tariff_text(many, datetime(2026, 1, 1, tzinfo=UTC), "UTC")) <= MAX_CHARS
