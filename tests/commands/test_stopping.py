"""Remote stop by the transactions API's id, and force stop whatever the station does."""

from tests.commands.conftest import Online, command, register, start_transaction
from tests.commands.station import scripted_station
from tests.conftest import Tenant


async def accepted_tag(tenant: Tenant) -> str:
    value = tenant.unique("TAG")[:20]
    response = await tenant.api.post("/id-tags", json={"value": value, "status": "Accepted"})
    assert response.status_code == 201, response.text
    return value


async def test_remote_stop_takes_the_transaction_id_as_number_or_text(
    tenant: Tenant, online: Online
) -> None:
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station):
        tx = await start_transaction(station, tag)
        as_text = await command(tenant, station_id, "remote-stop", {"transaction_id": str(tx)})
        assert as_text.status_code == 200, as_text.text
        as_number = await command(tenant, station_id, "remote-stop", {"transaction_id": tx})
        assert as_number.json()["status"] == "Accepted"
        assert station.calls("RemoteStopTransaction") == [{"transactionId": tx}] * 2
        bad = await command(tenant, station_id, "remote-stop", {"transaction_id": "abc"})
        assert bad.status_code == 422


async def test_remote_stop_of_a_stopped_or_foreign_transaction_is_refused(
    tenant: Tenant, online: Online
) -> None:
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station), online() as (other_id, _other):
        tx = await start_transaction(station, tag)
        elsewhere = await command(tenant, other_id, "remote-stop", {"transaction_id": tx})
        assert elsewhere.status_code == 422
        await station.ok(
            "StopTransaction",
            {"transactionId": tx, "meterStop": 2000, "timestamp": "2026-01-01T11:00:00Z"},
        )
        stopped = await command(tenant, station_id, "remote-stop", {"transaction_id": tx})
        assert stopped.status_code == 409
        assert station.calls("RemoteStopTransaction") == []


async def test_force_stop_closes_the_session_of_an_offline_station(
    tenant: Tenant,
) -> None:
    tag = await accepted_tag(tenant)
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        tx = await start_transaction(station, tag)
    response = await command(
        tenant, station_id, "force-stop", {"transaction_id": tx, "reason": "StuckSession"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "Accepted"
    assert answer["response"]["closed"] is True
    assert "not connected" in answer["response"]["remote_stop"]["error"]
    detail = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert detail["stopped_at"] is not None and detail["stop_reason"] == "StuckSession"
    audit = (await tenant.api.get("/commands", params={"command": "force-stop"})).json()
    assert audit["total"] == 1
    assert audit["items"][0]["request"] == {"transaction_id": tx, "reason": "StuckSession"}


async def test_force_stop_of_a_station_that_does_not_answer(tenant: Tenant, online: Online) -> None:
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station):
        tx = await start_transaction(station, tag)
        station.silent.add("RemoteStopTransaction")
        response = await command(
            tenant, station_id, "force-stop", {"transaction_id": tx}, timeout=0.3
        )
        assert response.status_code == 200
        assert "did not answer" in response.json()["response"]["remote_stop"]["error"]
        assert station.calls("RemoteStopTransaction") == [{"transactionId": tx}]
    detail = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert detail["stop_reason"] == "ForcedByOperator"


async def test_force_stop_asks_an_online_station_to_stop_too(
    tenant: Tenant, online: Online
) -> None:
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station):
        tx = await start_transaction(station, tag)
        response = await command(tenant, station_id, "force-stop", {"transaction_id": tx})
        assert response.json()["response"]["remote_stop"] == {"status": "Accepted"}
        again = await command(tenant, station_id, "force-stop", {"transaction_id": tx})
        assert again.json()["response"]["closed"] is False
        assert station.calls("RemoteStopTransaction") == [{"transactionId": tx}]


async def test_the_stations_own_stop_corrects_a_forced_one(tenant: Tenant) -> None:
    tag = await accepted_tag(tenant)
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        tx = await start_transaction(station, tag)
    forced = await command(tenant, station_id, "force-stop", {"transaction_id": tx})
    assert forced.status_code == 200
    estimate = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert estimate["force_stopped"] is True
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok(
            "StopTransaction",
            {"transactionId": tx, "meterStop": 7300, "timestamp": "2026-01-01T11:00:00Z"},
        )
    corrected = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert corrected["meter_stop_wh"] == 7300
    assert corrected["energy_wh"] == 7300 - estimate["meter_start_wh"]
    assert corrected["stop_reason"] == estimate["stop_reason"]
    events = (await tenant.api.get("/events", params={"type": "session.*"})).json()["items"]
    assert [e["type"] for e in events if e["data"].get("id") == tx].count("session.stopped") == 1
