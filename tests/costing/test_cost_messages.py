"""The Open Charge Alliance cost messages for OCPP 1.6 (DataTransfer
org.openchargealliance.costmsg): their shapes, and a real 1.6 station that asked for them shown
the price at Authorize, the running cost from its start and the final cost at its stop."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from chargeyard.costing import cost_messages as messages
from chargeyard.tariffs.domain import Dimension, IdleFee
from tests.commands.station import ScriptedStation, scripted_station
from tests.conftest import Tenant
from tests.costing.factories import component, element, tariff
from tests.protocol.conftest import Stations
from tests.support.billing import create_tariff, priced_station, stamp


def test_a_running_cost_names_prices_in_force_and_the_idle_fee() -> None:
    definition = tariff(
        element(component("ENERGY", "0.30")),
        idle_fee=IdleFee(Decimal("6.00"), grace_minutes=30),
    )
    data = messages.running_cost(
        transaction_id=7,
        timestamp=datetime(2026, 1, 1, 10, 0),
        meter_wh=1234000,
        cost=Decimal("1.23"),
        idle=False,
        tariff=definition,
        prices={Dimension.ENERGY: Fraction("0.36")},
    )
    assert data == {
        "transactionId": 7,
        "timestamp": "2026-01-01T10:00:00Z",
        "meterValue": 1234000,
        "cost": 1.23,
        "state": "Charging",
        "chargingPrice": {"kWhPrice": 0.36, "hourPrice": 0.0, "flatFee": 0.0},
        "idlePrice": {"graceMinutes": 30, "hourPrice": 6.0},
    }


def test_parking_is_idle_and_priced_by_the_hour() -> None:
    definition = tariff(element(component("ENERGY", "0.30"), component("PARKING_TIME", "2.40")))
    prices = {Dimension.ENERGY: Fraction("0.3"), Dimension.PARKING_TIME: Fraction("2.4")}
    data = messages.running_cost(
        transaction_id=7,
        timestamp=datetime(2026, 1, 1, 10, 0, tzinfo=UTC),
        meter_wh=1,
        cost=Decimal("0"),
        idle=True,
        tariff=definition,
        prices=prices,
    )
    assert (data["state"], data["idlePrice"]) == ("Idle", {"hourPrice": 2.4})


def test_a_final_cost_sums_the_session_up() -> None:
    data = messages.final_cost(
        transaction_id=9,
        cost=Decimal("4.8"),
        currency="EUR",
        energy_wh=10000,
        duration=timedelta(minutes=95),
    )
    assert data == {
        "transactionId": 9,
        "cost": 4.8,
        "priceText": "10.00 kWh, 1:35 h, total 4.80 EUR incl. tax",
    }
    assert json.loads(messages.encoded(data)) == data


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)


def cost_messages(station: ScriptedStation) -> list[tuple[str, dict[str, Any]]]:
    return [
        (call["messageId"], json.loads(call["data"]))
        for call in station.calls("DataTransfer")
        if call["vendorId"] == messages.VENDOR_ID
    ]


async def session(station: ScriptedStation, tag: str, start: datetime, *, shown: bool) -> int:
    """Authorize, start at 1000 Wh, 5 kWh ten minutes later, stop at 11000 Wh; with `shown`,
    each step waits for the message it brings, so they arrive in order."""
    assert (await station.ok("Authorize", {"idTag": tag}))["idTagInfo"]["status"] == "Accepted"
    if shown:
        await station.wait_for("DataTransfer", 1)
    started = await station.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": stamp(start)},
    )
    tx_id = int(started["transactionId"])
    if shown:
        await station.wait_for("DataTransfer", 2)
    await station.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": tx_id,
            "meterValue": [
                {
                    "timestamp": stamp(start + timedelta(minutes=10)),
                    "sampledValue": [{"value": "6000", "unit": "Wh"}],
                }
            ],
        },
    )
    await station.ok(
        "StopTransaction",
        {
            "transactionId": tx_id,
            "meterStop": 11000,
            "timestamp": stamp(start + timedelta(minutes=20)),
        },
    )
    return tx_id


async def test_a_station_that_asked_is_shown_price_and_costs(
    tenant: Tenant, stations: Stations
) -> None:
    # 0.30/kWh + 1.00 per session, 20 % tax.
    tariff_id = await create_tariff(tenant)
    quiet_id = await priced_station(tenant, stations, tariff_id)
    station_id = await priced_station(tenant, stations, tariff_id)
    turned_on = await tenant.api.patch(f"/stations/{station_id}", json={"cost_messages": True})
    assert turned_on.status_code == 200, turned_on.text
    assert turned_on.json()["cost_messages"] is True
    for tag in ("COSTMSG-1", "COSTMSG-2"):
        created = await tenant.api.post("/id-tags", json={"value": tag, "status": "Accepted"})
        assert created.status_code == 201, created.text
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    url = tenant.server.ocpp_url
    async with (
        scripted_station(url, quiet_id) as quiet,
        scripted_station(url, station_id) as station,
    ):
        # The quiet station's session first: its events' tasks start before the other's, so
        # by the time that one's FinalCost arrives, the quiet one's found nothing to send.
        await session(quiet, "COSTMSG-1", start, shown=False)
        tx_id = await session(station, "COSTMSG-2", start, shown=True)
        await station.wait_for("DataTransfer", 3)
        assert quiet.calls("DataTransfer") == []
    sent = cost_messages(station)
    assert [message for message, _ in sent] == ["SetUserPrice", "RunningCost", "FinalCost"]
    user_price, running, final = (data for _, data in sent)
    assert user_price["idToken"] == "COSTMSG-2"
    assert user_price["priceText"].startswith("0.36 EUR/kWh, 1.20 EUR per session")
    # The start's flat fee at once; within the interval (60 s by default) the metered change
    # is not sent again, and the stop brings the final cost.
    assert running == {
        "transactionId": tx_id,
        "timestamp": stamp(start),
        "meterValue": 1000,
        "cost": 1.2,
        "state": "Charging",
        "chargingPrice": {"kWhPrice": 0.36, "hourPrice": 0.0, "flatFee": 1.2},
    }
    assert final == {
        "transactionId": tx_id,
        "cost": 4.8,
        "priceText": "10.00 kWh, 0:20 h, total 4.80 EUR incl. tax",
    }
