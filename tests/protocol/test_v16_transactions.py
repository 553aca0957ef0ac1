"""StartTransaction and StopTransaction under 1.6: CSMS-issued ids, retries, unknown tags and
transactions, final meter data."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of, eventually
from tests.protocol.test_v16_authorize import add_tag
from tests.support.ocpp_client import raw_station

START = {"connectorId": 1, "meterStart": 1200, "timestamp": "2026-04-01T12:00:00.250Z"}


async def transactions_of(tenant: Tenant, station_id: str) -> list[dict[str, Any]]:
    listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert listing["total"] == len(listing["items"])
    return list(listing["items"])


def stop(tx_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "transactionId": tx_id,
        "meterStop": 4200,
        "timestamp": "2026-04-01T12:45:00Z",
        "reason": "Local",
    } | extra


async def test_start_issues_the_transaction_id(tenant: Tenant, stations: Stations) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        start = await station.ok("StartTransaction", START | {"idTag": tag})
    assert start["idTagInfo"] == {"status": "Accepted"}
    [tx] = await transactions_of(tenant, station_id)
    assert tx["id"] == start["transactionId"]
    assert tx["ocpp_transaction_id"] == str(start["transactionId"])
    assert (tx["evse_id"], tx["connector_id"], tx["id_tag"]) == (1, 1, tag)
    assert tx["started_at"].startswith("2026-04-01T12:00:00.25")
    assert tx["stopped_at"] is None and tx["meter_start_wh"] == 1200
    [event] = await events_of(tenant.server, station_id, "session.started")
    assert event["id"] == tx["id"]


async def test_identical_retry_returns_the_same_id(tenant: Tenant, stations: Stations) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        first = await station.ok("StartTransaction", START | {"idTag": tag})
        again = await station.ok("StartTransaction", START | {"idTag": tag})
    async with raw_station(tenant.server.ocpp_url, station_id) as reconnected:
        # After a reconnect the retry may even reuse its message id.
        third = await reconnected.call("StartTransaction", START | {"idTag": tag}, "m2")
    assert again == first
    assert third[2] == first
    assert len(await transactions_of(tenant, station_id)) == 1
    assert len(await events_of(tenant.server, station_id, "session.started")) == 1


async def test_different_start_on_same_connector_supersedes(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        first = await station.ok("StartTransaction", START | {"idTag": tag})
        second = await station.ok(
            "StartTransaction", START | {"idTag": tag, "timestamp": "2026-04-01T13:00:00Z"}
        )
    assert second["idTagInfo"]["status"] == "Accepted"  # the superseded one is over
    assert second["transactionId"] != first["transactionId"]
    txs = {tx["id"]: tx for tx in await transactions_of(tenant, station_id)}
    assert txs[first["transactionId"]]["stop_reason"] == "Superseded"
    assert txs[second["transactionId"]]["stopped_at"] is None


async def test_unknown_tag_is_invalid_but_recorded(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        start = await station.ok("StartTransaction", START | {"idTag": "NOBODY"})
    assert start["idTagInfo"] == {"status": "Invalid"}
    [tx] = await transactions_of(tenant, station_id)
    assert (tx["id"], tx["auth_status"], tx["id_tag"]) == (
        start["transactionId"],
        "Invalid",
        "NOBODY",
    )
    assert (tx["stop_reason"], tx["stopped_at"] is not None) == ("DeAuthorized", True)  # closed


async def test_meter_beyond_32_bits(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    big = 3_000_000_000
    async with stations.booted(station_id) as station:
        start = await station.ok("StartTransaction", START | {"idTag": "X", "meterStart": big})
        await station.ok("StopTransaction", stop(start["transactionId"], meterStop=big + 5000))
    [tx] = await transactions_of(tenant, station_id)
    assert (tx["meter_start_wh"], tx["meter_stop_wh"], tx["energy_wh"]) == (big, big + 5000, 5000)


async def test_start_on_connector_zero_is_refused(stations: Stations) -> None:
    async with stations.booted() as station:
        answer = await station.call("StartTransaction", START | {"idTag": "X", "connectorId": 0})
        assert answer[2] == "PropertyConstraintViolation"
        assert (await station.ok("Heartbeat", {}))["currentTime"]


TRANSACTION_DATA = [
    {
        "timestamp": "2026-04-01T12:00:00Z",
        "sampledValue": [
            {"value": "1200", "context": "Transaction.Begin", "unit": "Wh"},
        ],
    },
    {
        "timestamp": "2026-04-01T12:45:00Z",
        "sampledValue": [
            {"value": "4.2", "context": "Transaction.End", "unit": "kWh"},
            {"value": "81", "measurand": "SoC", "context": "Transaction.End", "unit": "Percent"},
        ],
    },
]


async def test_stop_stores_transaction_data_and_is_idempotent(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        start = await station.ok("StartTransaction", START | {"idTag": tag})
        tx_id = start["transactionId"]
        body = stop(tx_id, idTag=tag, reason="EVDisconnected", transactionData=TRANSACTION_DATA)
        first = await station.ok("StopTransaction", body)
        after_first = (await tenant.api.get(f"/transactions/{tx_id}")).json()
        second = await station.ok("StopTransaction", body)
        after_second = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    assert first == second == {"idTagInfo": {"status": "Accepted"}}
    assert after_second == after_first
    assert after_first["stopped_at"].startswith("2026-04-01T12:45:00")
    assert (after_first["meter_stop_wh"], after_first["energy_wh"]) == (4200, 3000)
    assert (after_first["stop_reason"], after_first["stop_id_tag"]) == ("EVDisconnected", tag)
    assert (after_first["last_meter_wh"], after_first["last_soc"]) == (4200, 81)
    values = (await tenant.api.get(f"/transactions/{tx_id}/meter-values")).json()
    assert [(v["value"], v["unit"], v["context"]) for v in values["items"]] == [
        ("1200", "Wh", "Transaction.Begin"),
        ("4.2", "kWh", "Transaction.End"),
        ("81", "Percent", "Transaction.End"),
    ]
    assert len(await events_of(tenant.server, station_id, "session.stopped")) == 1


async def test_stop_of_unknown_transaction_is_answered(tenant: Tenant, stations: Stations) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        without_tag = await station.ok("StopTransaction", stop(987654321))
        with_tag = await station.ok("StopTransaction", stop(987654322, idTag=tag))
        beyond_ours = await station.ok("StopTransaction", stop(2**53))
    assert without_tag == {} and beyond_ours == {}
    assert with_tag == {"idTagInfo": {"status": "Accepted"}}
    assert await transactions_of(tenant, station_id) == []


async def test_stop_on_another_station_does_not_touch_the_transaction(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await add_tag(tenant)
    owner = await stations.register()
    async with stations.booted(owner) as station:
        tx_id = (await station.ok("StartTransaction", START | {"idTag": tag}))["transactionId"]
    async with stations.booted() as intruder:
        assert await intruder.ok("StopTransaction", stop(tx_id)) == {}
    [tx] = await transactions_of(tenant, owner)
    assert tx["stopped_at"] is None


async def test_a_station_with_transactions_cannot_be_deleted(stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "ANY",
                "meterStart": 0,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
    await eventually(lambda: _disconnected(stations, station_id))
    response = await stations.tenant.api.delete(f"/stations/{station_id}")
    assert response.status_code == 409
    assert "billing records" in response.json()["detail"]
    assert (await stations.tenant.api.get(f"/stations/{station_id}")).status_code == 200


async def _disconnected(stations: Stations, station_id: str) -> bool:
    return not (await stations.detail(station_id))["connected"]
