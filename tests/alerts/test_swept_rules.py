"""The swept rules and clock drift over a real server and a real 1.6 station on loopback:
thresholds set through the alert-rules API, alerts raised once a condition lasted them, and
resolved by themselves when it ends."""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.alerts.conftest import alerts, wait_for_alert
from tests.alerts.test_event_rules import named, status
from tests.commands.conftest import Online, register, start_transaction
from tests.commands.station import BOOT, ScriptedStation
from tests.commands.test_stopping import accepted_tag
from tests.conftest import Tenant
from tests.support.ocpp_client import raw_station


async def set_rule(tenant: Tenant, name: str, **changes: Any) -> dict[str, Any]:
    response = await tenant.api.patch(f"/alert-rules/{name}", json=changes)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def meter(station: ScriptedStation, tx: int, wh: int) -> None:
    at = datetime.now(UTC).isoformat()
    sample = {"value": str(wh), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
    await station.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": tx,
            "meterValue": [{"timestamp": at, "sampledValue": [sample]}],
        },
    )


async def test_a_charging_session_whose_meter_stops_moving(tenant: Tenant, online: Online) -> None:
    rule = await set_rule(tenant, "meter-stalled", threshold_s=1)
    assert (rule["threshold_s"], rule["default_threshold_s"]) == (1, 900)
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station):
        tx = await start_transaction(station, tag)
        await station.ok("StatusNotification", status(1, "Charging"))
        await meter(station, tx, 1500)
        stalled = await wait_for_alert(
            tenant, named("meter-stalled", "Triggered"), station_id=station_id
        )
        assert (stalled["transaction_id"], stalled["evse_id"], stalled["connector_id"]) == (
            tx,
            1,
            1,
        )
        assert stalled["detail"]["last_meter_wh"] == 1500
        assert stalled["detail"]["threshold_s"] == 1

        await meter(station, tx, 2500)  # it moves: that stall is over
        resolved = await wait_for_alert(
            tenant, named("meter-stalled", "Resolved"), station_id=station_id
        )
        assert resolved["id"] == stalled["id"] and resolved["resolved_by"] == "system"

        # Stalled again at the new reading: a new alert, which ends with the session.
        again = await wait_for_alert(
            tenant,
            lambda a: named("meter-stalled", "Triggered")(a) and a["id"] != stalled["id"],
            station_id=station_id,
        )
        assert again["detail"]["last_meter_wh"] == 2500
        await station.ok(
            "StopTransaction",
            {"transactionId": tx, "meterStop": 2500, "timestamp": datetime.now(UTC).isoformat()},
        )
        await wait_for_alert(
            tenant,
            lambda a: a["id"] == again["id"] and a["status"] == "Resolved",
            station_id=station_id,
        )


async def test_a_station_whose_boot_stays_pending(tenant: Tenant) -> None:
    await set_rule(tenant, "boot-pending", threshold_s=1)
    station_id = await register(tenant)
    await tenant.api.patch(f"/stations/{station_id}", json={"registration_status": "Pending"})
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Pending"
        pending = await wait_for_alert(
            tenant, named("boot-pending", "Triggered"), station_id=station_id
        )
        assert (pending["category"], pending["urgency"]) == ("Configuration", "Medium")

        await tenant.api.patch(f"/stations/{station_id}", json={"registration_status": "Accepted"})
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
    await wait_for_alert(tenant, named("boot-pending", "Resolved"), station_id=station_id)


async def test_a_station_clock_far_from_the_servers(tenant: Tenant, online: Online) -> None:
    await set_rule(tenant, "clock-drift", threshold_s=60)
    async with online() as (station_id, station):
        ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        await station.ok("StatusNotification", status(1, "Available", timestamp=ahead))
        drift = await wait_for_alert(
            tenant, named("clock-drift", "Triggered"), station_id=station_id
        )
        assert 3500 < drift["detail"]["drift_s"] < 3700
        assert drift["detail"]["threshold_s"] == 60

        now = datetime.now(UTC).isoformat()
        await station.ok("StatusNotification", status(1, "Available", timestamp=now))
        await wait_for_alert(tenant, named("clock-drift", "Resolved"), station_id=station_id)
    assert [a["name"] for a in await alerts(tenant, station_id=station_id)] == ["clock-drift"]
