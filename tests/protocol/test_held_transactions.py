"""MeterValues of a session the connection holds (transactions/held.py): the same stored
values and events as a loaded session, and a held copy never outlives a change made elsewhere."""

from typing import Any

from chargeyard.api.dependencies import etag
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of


def meter(tx_id: int, minute: int, wh: int, *extra: dict[str, str]) -> dict[str, Any]:
    samples = [{"value": str(wh), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]
    return {
        "connectorId": 1,
        "transactionId": tx_id,
        "meterValue": [
            {"timestamp": f"2026-06-01T10:{minute:02d}:00Z", "sampledValue": samples + list(extra)}
        ],
    }


async def accepted(tenant: Tenant) -> str:
    tag = tenant.unique("T")[:20]
    response = await tenant.api.post("/id-tags", json={"value": tag, "status": "Accepted"})
    assert response.status_code == 201, response.text
    return tag


async def start(station: Any, tag: str) -> int:
    answer = await station.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": "2026-06-01T10:00:00Z"},
    )
    return int(answer["transactionId"])


async def test_held_and_loaded_sessions_store_the_same(tenant: Tenant, stations: Stations) -> None:
    tag = await accepted(tenant)
    station_id = await stations.register()
    power = {"value": "7.2", "measurand": "Power.Active.Import", "unit": "kW"}
    async with stations.booted(station_id) as station:
        tx_id = await start(station, tag)
        await station.ok("MeterValues", meter(tx_id, 5, 2000, power))
        await station.ok("MeterValues", meter(tx_id, 10, 3000))  # no power: the last one stays
        await station.ok("MeterValues", meter(tx_id, 7, 2500))  # older: stored, moves nothing
        await station.ok("MeterValues", meter(tx_id, 10, 3000))  # a resend: nothing at all
    response = await tenant.api.get(f"/transactions/{tx_id}")
    tx = response.json()
    assert (tx["last_meter_wh"], tx["last_power_w"]) == (3000, 7200)
    assert tx["last_meter_at"].startswith("2026-06-01T10:10:00")
    assert response.headers["etag"] == etag(tx_id, 3)  # started at 1, moved by two readings
    updates = await events_of(tenant.server, station_id, "session.updated")
    assert len(updates) == 2
    assert updates[0] == updates[1]  # the same summary of the open session
    assert updates[0]["id"] == tx_id and updates[0]["stopped_at"] is None
    received = await events_of(tenant.server, station_id, "meter_values.received")
    assert [len(event["samples"]) for event in received] == [2, 1, 1]
    assert {event["transaction_id"] for event in received} == {tx_id}


async def test_a_force_stop_elsewhere_is_seen_by_the_next_meter_values(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await accepted(tenant)
    station_id = await stations.register()
    # A station that answers the RemoteStop a force stop sends, and goes on metering.
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        tx_id = await start(station, tag)
        await station.ok("MeterValues", meter(tx_id, 5, 2000))  # the session is held now
        stopped = await tenant.api.post(
            f"/stations/{station_id}/commands/force-stop",
            json={"transaction_id": tx_id, "reason": "StuckSession"},
            params={"timeout": 0.5},
        )
        assert stopped.status_code == 200, stopped.text
        closed = (await tenant.api.get(f"/transactions/{tx_id}")).json()
        await station.ok("MeterValues", meter(tx_id, 10, 3000))
    after = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    # The held copy no longer matched: the message took the full path, as before holding.
    assert after["stopped_at"] == closed["stopped_at"] and after["stop_reason"] == "StuckSession"
    assert after["last_meter_wh"] == 3000
    updates = await events_of(tenant.server, station_id, "session.updated")
    assert updates[-1]["stopped_at"] is not None and updates[-1]["force_stopped"] is True


async def test_a_held_stop_closes_the_session_as_a_loaded_one_would(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await accepted(tenant)
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        tx_id = await start(station, tag)
        await station.ok("MeterValues", meter(tx_id, 5, 2000))  # held now
        stop = {
            "transactionId": tx_id,
            "meterStop": 4500,
            "timestamp": "2026-06-01T10:30:00Z",
            "reason": "EVDisconnected",
            "idTag": tag,
        }
        answer = await station.ok("StopTransaction", stop)
        assert answer["idTagInfo"]["status"] == "Accepted"
        again = await station.ok("StopTransaction", stop)  # a retry: changes nothing
        assert again["idTagInfo"]["status"] == "Accepted"
    response = await tenant.api.get(f"/transactions/{tx_id}")
    tx = response.json()
    assert tx["stopped_at"].startswith("2026-06-01T10:30:00")
    assert (tx["meter_stop_wh"], tx["energy_wh"], tx["stop_reason"]) == (
        4500,
        3500,
        "EVDisconnected",
    )
    assert response.headers["etag"] == etag(tx_id, 3)  # started, one reading, stopped
    [stopped] = await events_of(tenant.server, station_id, "session.stopped")
    assert stopped["id"] == tx_id and stopped["energy_wh"] == 3500
    assert stopped["stopped_at"].startswith("2026-06-01T10:30:00")
    assert stopped["stop_reason"] == "EVDisconnected"


async def test_the_stations_own_stop_after_a_force_stop_corrects_the_reading(
    tenant: Tenant, stations: Stations
) -> None:
    """The force stop changed the row the connection holds: the station's stop must take the
    full path, which replaces the force stop's estimate with the station's reading."""
    tag = await accepted(tenant)
    station_id = await stations.register()
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        tx_id = await start(station, tag)
        await station.ok("MeterValues", meter(tx_id, 5, 2000))
        stopped = await tenant.api.post(
            f"/stations/{station_id}/commands/force-stop",
            json={"transaction_id": tx_id, "reason": "StuckSession"},
            params={"timeout": 0.5},
        )
        assert stopped.status_code == 200, stopped.text
        await station.ok(
            "StopTransaction",
            {"transactionId": tx_id, "meterStop": 5000, "timestamp": "2026-06-01T10:20:00Z"},
        )
    tx = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    assert (tx["meter_stop_wh"], tx["energy_wh"]) == (5000, 4000)
    assert tx["force_stopped"] is True and tx["stop_reason"] == "StuckSession"
