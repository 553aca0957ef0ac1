"""Battery swaps and priority charging stored; a station pulling a charging profile's schedule
update is told the limit in force now, from the profiles it accepted, or refused."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import events_of
from tests.protocol.v21.conftest import V21Stations, answer, items, start_transaction
from tests.support.ocpp_client import RawStation

SWAP = {
    "eventType": "BatteryIn",
    "requestId": 11,
    "idToken": {"idToken": "SWAP-1", "type": "ISO14443"},
    "batteryData": [{"evseId": 2, "serialNumber": "BAT-7", "soC": 81.5, "soH": 97}],
}


async def test_battery_swap_is_stored(tenant: Tenant, v21: V21Stations) -> None:
    async with v21.booted() as (sid, station):
        assert await answer(station, "BatterySwap", SWAP) == {}
    swaps = await items(tenant, f"/stations/{sid}/reports", kind="battery_swap")
    assert [(s["status"], s["request_id"], s["evse_id"], s["data"]["id_token"]) for s in swaps] == [
        ("BatteryIn", 11, 2, "SWAP-1")
    ]
    assert swaps[0]["data"]["batteries"][0]["serial_number"] == "BAT-7"
    assert [e["status"] for e in await events_of(tenant.server, sid, "station.battery_swap")] == [
        "BatteryIn"
    ]


async def test_priority_charging_names_the_transaction(tenant: Tenant, v21: V21Stations) -> None:
    async with v21.booted() as (sid, station):
        await start_transaction(station, "TX-PRIO", evse_id=1)
        on = {"transactionId": "TX-PRIO", "activated": True}
        assert await answer(station, "NotifyPriorityCharging", on) == {}
        off = {"transactionId": "TX-UNKNOWN", "activated": False}
        assert await answer(station, "NotifyPriorityCharging", off) == {}
    tx = (await items(tenant, "/transactions", station_id=sid))[0]
    stored = await items(tenant, f"/stations/{sid}/reports", kind="priority_charging")
    assert [(r["status"], r["evse_id"], r["data"]) for r in stored] == [
        ("Activated", 1, {"ocpp_transaction_id": "TX-PRIO", "transaction_id": tx["id"]}),
        ("Deactivated", None, {"ocpp_transaction_id": "TX-UNKNOWN", "transaction_id": None}),
    ]
    events = await events_of(tenant.server, sid, "station.priority_charging")
    assert [e["transaction_id"] for e in events] == [tx["id"], None]


def _profile(start: datetime) -> dict[str, Any]:
    schedule = {
        "unit": "W",
        "start": start.isoformat(),
        "periods": [{"start_offset_s": 0, "limit": 16000}, {"start_offset_s": 300, "limit": 11000}],
    }
    return {"id": 3, "purpose": "TxDefaultProfile", "kind": "Absolute", "schedule": schedule}


async def _command(
    tenant: Tenant, station: RawStation, sid: str, name: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Run a command while the raw station accepts the CALL it receives."""
    request = asyncio.create_task(tenant.api.post(f"/stations/{sid}/commands/{name}", json=body))
    call = json.loads(await station.socket.recv())
    await station.socket.send(json.dumps([3, call[1], {"status": "Accepted"}]))
    response = await request
    assert response.status_code == 200, response.text
    return dict(call[3])


async def test_pull_dynamic_schedule_update(tenant: Tenant, v21: V21Stations) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    async with v21.booted() as (sid, station):
        unknown = await answer(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 3})
        body = {"evse_id": 1, "charging_profile": _profile(start)}
        sent = await _command(tenant, station, sid, "set-charging-profile", body)
        assert sent["chargingProfile"]["id"] == 3
        known = await answer(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 3})
        other = await answer(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 4})
        await _command(tenant, station, sid, "clear-charging-profile", {"id": 3})
        cleared = await answer(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 3})
    assert known == {"status": "Accepted", "scheduleUpdate": {"limit": 11000}}
    for refused in (unknown, other, cleared):
        assert refused["status"] == "Rejected"
        assert refused["statusInfo"]["reasonCode"] == "NoLimitInForce"
        assert "scheduleUpdate" not in refused
    pulls = await items(tenant, f"/stations/{sid}/reports", kind="schedule_update_request")
    assert [(p["status"], p["data"]["charging_profile_id"]) for p in pulls] == [
        ("Rejected", 3),
        ("Accepted", 3),
        ("Rejected", 4),
        ("Rejected", 3),
    ]
    assert pulls[1]["data"]["limit"] == "11000" and pulls[1]["data"]["unit"] == "W"
    assert len(await events_of(tenant.server, sid, "station.schedule_update_request")) == 4
