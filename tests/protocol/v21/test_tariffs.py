"""Chargeyard's tariffs as OCPP 2.1's TariffType: every rendering valid against 2.1's schema,
prices excluding tax, restrictions as conditions, and what 2.1 cannot say refused."""

import re
from decimal import Decimal
from typing import Any

import pytest
from jsonschema.exceptions import best_match
from ocpp.messages import get_validator
from ocpp.v21 import call_result

from chargeyard.commands import tariff_commands as tc
from chargeyard.commands.domain import CommandNotSupported
from chargeyard.commands.tariff_commands import station_tariff_id
from chargeyard.protocol.v21 import commands as v21
from chargeyard.protocol.v21.tariffs import NotExpressible, tariff_type
from chargeyard.protocol.v201 import commands as v201
from chargeyard.protocol.wire import to_wire
from chargeyard.tariffs.domain import DayOfWeek, IdleFee
from tests.costing.factories import component, element, hhmm, tariff

CALL = 2


def sent(command: tc.SetDefaultTariff | tc.ChangeTransactionTariff) -> dict[str, Any]:
    """The payload on the wire, checked against 2.1's schema."""
    payload = v21.render(command)
    wire = to_wire(payload)
    action = type(payload).__name__
    error = best_match(get_validator(CALL, action, "2.1").iter_errors(wire))
    assert error is None, f"{action} {wire} breaks the schema: {error.message}"
    return wire  # type: ignore[no-any-return]


def default(definition: Any, description: str | None = "0.36 EUR/kWh") -> dict[str, Any]:
    wire = sent(tc.SetDefaultTariff(0, tc.StationTariff("T1", 3, definition, description)))
    assert wire["evseId"] == 0
    return wire["tariff"]  # type: ignore[no-any-return]


def test_prices_by_dimension_in_element_order() -> None:
    definition = tariff(
        element(component("ENERGY", "0.40"), day_of_week=(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)),
        element(
            component("ENERGY", "0.30"),
            component("TIME", "1.20"),
            component("PARKING_TIME", "6.00"),
            component("FLAT", "1.00"),
        ),
        min_price=Decimal("2"),
        max_price=Decimal("50"),
    )
    found = default(definition)
    assert found["tariffId"] == "T1-v3" == station_tariff_id("T1", 3)
    assert found["currency"] == "EUR"
    assert found["description"] == [{"format": "UTF8", "content": "0.36 EUR/kWh"}]
    assert found["energy"] == {
        "prices": [
            {"priceKwh": 0.4, "conditions": {"dayOfWeek": ["Saturday", "Sunday"]}},
            {"priceKwh": 0.3},
        ]
    }
    assert found["chargingTime"] == {"prices": [{"priceMinute": 0.02}]}
    assert found["idleTime"] == {"prices": [{"priceMinute": 0.1}]}
    assert found["fixedFee"] == {"prices": [{"priceFixed": 1.0}]}
    assert found["minCost"] == {"exclTax": 2.0, "inclTax": 2.0}
    assert found["maxCost"] == {"exclTax": 50.0, "inclTax": 50.0}


def test_prices_stated_with_tax_go_without_it() -> None:
    definition = tariff(
        element(component("ENERGY", "0.36"), component("FLAT", "1.20", vat="20")),
        tax_rate=Decimal("20"),
        prices_include_tax=True,
        min_price=Decimal("2.40"),
    )
    found = default(definition)
    assert found["energy"] == {
        "prices": [{"priceKwh": 0.3}],
        "taxRates": [{"type": "VAT", "tax": 20.0}],
    }
    assert found["fixedFee"]["prices"] == [{"priceFixed": 1.0}]
    assert found["minCost"] == {"exclTax": 2.0, "inclTax": 2.4}


def test_restrictions_become_conditions() -> None:
    definition = tariff(
        element(
            component("ENERGY", "0.25"),
            start_time=hhmm("22:00"),
            end_time=hhmm("06:00"),
            min_kwh=Decimal("20"),
            max_kwh=Decimal("50.5"),
            min_power=Decimal("11"),
            max_power=Decimal("50"),
            min_duration=600,
            max_duration=7200,
        ),
        element(component("ENERGY", "0.30")),
    )
    [night, day] = default(definition)["energy"]["prices"]
    assert night["conditions"] == {
        "startTimeOfDay": "22:00",
        "endTimeOfDay": "06:00",
        "minEnergy": 20000.0,
        "maxEnergy": 50500.0,
        "minPower": 11000.0,
        "maxPower": 50000.0,
        "minTime": 600,
        "maxTime": 7200,
    }
    assert "conditions" not in day


def test_an_idle_fee_is_idle_time_after_its_grace() -> None:
    definition = tariff(
        element(component("ENERGY", "0.30")),
        tax_rate=Decimal("19"),
        idle_fee=IdleFee(Decimal("3.00"), grace_minutes=15),
    )
    assert default(definition, None)["idleTime"] == {
        "prices": [{"priceMinute": 0.05, "conditions": {"minIdleTime": 900}}],
        "taxRates": [{"type": "VAT", "tax": 19.0}],
    }


def test_a_transaction_gets_the_same_tariff_type() -> None:
    definition = tariff(element(component("ENERGY", "0.30")))
    station = tc.StationTariff("T1", 1, definition)
    wire = sent(tc.ChangeTransactionTariff("TX-9", station))
    assert wire == {"transactionId": "TX-9", "tariff": to_wire(tariff_type(station))}


@pytest.mark.parametrize(
    ("definition", "why"),
    [
        (
            tariff(
                element(component("ENERGY", "0.30", vat="20"), day_of_week=(DayOfWeek.MONDAY,)),
                element(component("ENERGY", "0.30", vat="7")),
            ),
            "different tax rates",
        ),
        (tariff(element(component("FLAT", "1"), min_kwh=Decimal("5"))), "flat fee restricted"),
        (
            tariff(
                element(component("PARKING_TIME", "2")),
                idle_fee=IdleFee(Decimal("3.00"), grace_minutes=15),
            ),
            "both parking-time prices and an idle fee",
        ),
    ],
)
def test_what_2_1_cannot_say_is_refused(definition: Any, why: str) -> None:
    with pytest.raises(NotExpressible, match=why):
        tariff_type(tc.StationTariff("T1", 1, definition))


def test_only_2_1_has_tariff_commands() -> None:
    with pytest.raises(CommandNotSupported, match=re.escape("ocpp2.0.1")):
        v201.render(tc.GetTariffs(1))


def test_a_clear_reads_as_its_first_refusal() -> None:
    accepted = call_result.ClearTariffs([{"status": "Accepted", "tariff_id": "T1-v1"}])
    assert v21.parse(accepted).status == "Accepted"
    nothing = call_result.ClearTariffs([{"status": "NoTariff"}])
    assert v21.parse(nothing).status == "NoTariff"
