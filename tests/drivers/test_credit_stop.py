"""A prepaid driver's running session is stopped remotely once its live cost uses up the
balance, with the reason recorded; the station's own stop then bills it as usual."""

from datetime import UTC, datetime, timedelta

from tests.commands.station import BOOT, scripted_station
from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, stamp


async def test_the_session_stops_when_the_balance_is_used_up(
    tenant: Tenant, stations: Stations
) -> None:
    # 0.30/kWh + 1.00 flat, 20 % tax: 2.00 of balance last until 2.00 / 1.2 - 1.00 = 0.67 EUR
    # of energy excl. tax, about 2.2 kWh.
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, stations, tariff_id)
    tag = await add_tag(tenant)
    driver = await tenant.api.post(
        "/drivers",
        json={
            "name": "Pre",
            "email": "pre@example.com",
            "payment_mode": "prepaid",
            "id_tags": [tag],
        },
    )
    driver_id = driver.json()["id"]
    await tenant.api.post(
        f"/drivers/{driver_id}/balance", json={"amount": "2.00", "currency": "EUR"}
    )
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)

    async def reading(tx_id: int, minute: int, wh: int) -> None:
        await station.ok(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": tx_id,
                "meterValue": [
                    {
                        "timestamp": stamp(start + timedelta(minutes=minute)),
                        "sampledValue": [{"value": str(wh), "unit": "Wh"}],
                    }
                ],
            },
        )

    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        started = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": stamp(start)},
        )
        assert started["idTagInfo"]["status"] == "Accepted"
        tx_id = started["transactionId"]
        await reading(tx_id, 5, 1000)  # 1.56 incl. tax: still covered
        assert station.calls("RemoteStopTransaction") == []
        await reading(tx_id, 10, 3000)  # 2.28: the balance is used up
        [stop] = await station.wait_for("RemoteStopTransaction")
        assert stop == {"transactionId": tx_id}
        await reading(tx_id, 11, 3100)  # a later reading asks for no second stop
        await station.ok(
            "StopTransaction",
            {
                "transactionId": tx_id,
                "meterStop": 3100,
                "timestamp": stamp(start + timedelta(minutes=11)),
                "reason": "Remote",
            },
        )
        assert len(station.calls("RemoteStopTransaction")) == 1
    [exhausted] = await events_of(tenant.server, station_id, "session.credit_exhausted")
    assert exhausted | {"ocpp_transaction_id": None} == {
        "transaction_id": tx_id,
        "ocpp_transaction_id": None,
        "driver_id": driver_id,
        "balance": "2.00",
        "cost": "2.28",
        "currency": "EUR",
        "reason": "the prepaid balance is used up",
    }
    balance = (await tenant.api.get(f"/drivers/{driver_id}")).json()["balance"]
    assert balance == "-0.32"  # 2.00 - (1.00 + 3.1 kWh x 0.30) x 1.2
