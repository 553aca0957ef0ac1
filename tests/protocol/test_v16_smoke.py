"""A whole 1.6 session over a real socket, checked through the REST API."""

from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, raw_station

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Wallbox 22"}


async def test_session_is_recorded(tenant: Tenant) -> None:
    station_id = tenant.unique("CP")
    assert (
        await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    ).status_code == 201
    assert (
        await tenant.api.post("/id-tags", json={"value": "TAG1", "status": "Accepted"})
    ).status_code == 201
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        boot = await station.ok("BootNotification", BOOT)
        assert boot["status"] == "Accepted"
        await station.ok(
            "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Preparing"}
        )
        start = await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "TAG1",
                "meterStart": 1000,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
        assert start["idTagInfo"]["status"] == "Accepted"
        tx_id = start["transactionId"]
        await station.ok(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": tx_id,
                "meterValue": [
                    {
                        "timestamp": "2026-01-01T10:15:00Z",
                        "sampledValue": [
                            {
                                "value": "3500",
                                "measurand": "Energy.Active.Import.Register",
                                "unit": "Wh",
                            }
                        ],
                    }
                ],
            },
        )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": tx_id,
                "meterStop": 6000,
                "timestamp": "2026-01-01T10:30:00Z",
                "reason": "EVDisconnected",
            },
        )
        detail = (await tenant.api.get(f"/stations/{station_id}")).json()
        assert detail["connected"] is True
        assert detail["evses"][0]["connectors"][0]["status"] == "Occupied"
    listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert listing["total"] == 1
    tx = listing["items"][0]
    assert tx["id"] == tx_id
    assert tx["energy_wh"] == 5000
    assert tx["meter_start_wh"] == 1000 and tx["meter_stop_wh"] == 6000
