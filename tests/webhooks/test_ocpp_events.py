"""From a station's OCPP message to a signed webhook."""

from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, raw_station
from tests.webhooks.conftest import Verify, subscribe
from tests.webhooks.receiver import Receiver


async def test_start_transaction_produces_a_session_started_webhook(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url, ["session.*"])
    station_id = hooks.unique("CP")
    body = {"id": station_id, "password": PASSWORD}
    assert (await hooks.api.post("/stations", json=body)).status_code == 201
    assert (await hooks.api.post("/id-tags", json={"value": "DRIVER-1"})).status_code == 201
    async with raw_station(hooks.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "X"})
        start = await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "DRIVER-1",
                "meterStart": 120,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
        await receiver.wait_for(lambda: len(receiver.delivered()) == 1)
    item = receiver.delivered()[0]
    assert verify(sub["secret"], item.headers, item.body)
    event = item.json
    assert event["type"] == "session.started"
    assert event["station_id"] == station_id
    assert event["occurred_at"] == "2026-01-01T10:00:00Z"
    assert event["data"]["id_tag"] == "DRIVER-1" and event["data"]["meter_start_wh"] == 120
    assert event["transaction_id"] == event["data"]["id"] == start["transactionId"]
