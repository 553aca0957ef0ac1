"""Zombie sessions over a real server and real 1.6 stations on loopback: the session-zombie
alert (its threshold through the alert-rules API), the dry-run listing, and closing them through
force stop with an audit entry and a `session.reconciled` event. Time that must pass is passed
with an injected clock on an evaluator of the test's own."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from chargeyard.alerts.evaluator import AlertEvaluator
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.storage.database import Database
from tests.alerts.conftest import alerts, wait_for_alert
from tests.alerts.test_event_rules import named, status
from tests.cluster.leased_nodes import until
from tests.commands.conftest import Online, register, start_transaction
from tests.commands.station import scripted_station
from tests.commands.test_stopping import accepted_tag
from tests.conftest import Tenant, make_tenant
from tests.support.payloads import fits


async def listing(tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = await tenant.api.get("/reconciliation/zombie-sessions", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def sweep_at(tenant: Tenant, now: datetime) -> None:
    """One sweep of an evaluator whose clock reads `now`."""
    db = Database(tenant.server.settings.database_url)
    try:
        evaluator = AlertEvaluator(db, lambda: now, LeaseKeeper(db, "test", 10), 1, 1)
        await evaluator.sweep()
    finally:
        await db.dispose()


async def test_a_session_left_open_on_an_offline_station(tenant: Tenant) -> None:
    tag = await accepted_tag(tenant)
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        tx = await start_transaction(station, tag)
        await station.ok(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": tx,
                "meterValue": [
                    {
                        "timestamp": "2026-01-01T10:30:00Z",
                        "sampledValue": [
                            {"value": "4200", "measurand": "Energy.Active.Import.Register"}
                        ],
                    }
                ],
            },
        )

    async def away() -> bool:
        return not (await tenant.api.get(f"/stations/{station_id}")).json()["connected"]

    await until(away)
    went = (await tenant.api.get(f"/stations/{station_id}")).json()["disconnected_at"]

    # The default threshold (1800 s) has not passed: nothing is overdue, nothing is alerted.
    assert (await listing(tenant))["threshold_s"] == 1800
    assert (await listing(tenant))["items"] == []
    await sweep_at(tenant, datetime.now(UTC) + timedelta(minutes=10))
    assert await alerts(tenant, name="session-zombie") == []

    # Half an hour after the disconnect, it is.
    await sweep_at(tenant, datetime.now(UTC) + timedelta(minutes=31))
    (alert,) = await alerts(tenant, name="session-zombie", status="Triggered")
    assert (alert["station_id"], alert["transaction_id"], alert["started_at"]) == (
        station_id,
        tx,
        went,
    )
    assert alert["detail"]["reason"] == "StationOffline"
    assert alert["detail"]["last_meter_wh"] == 4200

    # The dry run with a shorter threshold lists it (once a second has passed), and closes
    # nothing.
    async def listed_once_due() -> bool:
        return bool((await listing(tenant, threshold_s=1))["items"])

    await until(listed_once_due)
    (listed,) = (await listing(tenant, threshold_s=1))["items"]
    assert (listed["transaction_id"], listed["reason"], listed["since"]) == (
        tx,
        "StationOffline",
        went,
    )
    dry = await tenant.api.post(
        "/reconciliation/zombie-sessions/close", json={"threshold_s": 1, "dry_run": True}
    )
    assert dry.status_code == 200, dry.text
    assert [c["transaction_id"] for c in dry.json()["closed"]] == [tx]
    assert (await tenant.api.get(f"/transactions/{tx}")).json()["stopped_at"] is None

    closed = await tenant.api.post(
        "/reconciliation/zombie-sessions/close", json={"threshold_s": 1, "reason": "StationGone"}
    )
    assert closed.status_code == 200, closed.text
    (done,) = closed.json()["closed"]
    assert done["transaction_id"] == tx and "not connected" in done["remote_stop"]["error"]
    session = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert (session["stop_reason"], session["force_stopped"], session["meter_stop_wh"]) == (
        "StationGone",
        True,
        4200,
    )
    audit = (await tenant.api.get("/commands", params={"command": "force-stop"})).json()
    assert [item["id"] for item in audit["items"]] == [done["command_id"]]
    events = (
        await tenant.api.get("/events", params={"type": "session.reconciled", "transaction_id": tx})
    ).json()["items"]
    assert [(e["data"]["zombie_reason"], e["data"]["command_id"]) for e in events] == [
        ("StationOffline", done["command_id"])
    ]
    fits("session.reconciled", events[0]["data"])
    assert (await listing(tenant, threshold_s=1))["items"] == []

    # The session is closed: the alert is resolved by itself.
    resolved = await wait_for_alert(tenant, named("session-zombie", "Resolved"))
    assert resolved["id"] == alert["id"] and resolved["resolved_by"] == "system"


async def test_a_session_open_while_its_connector_is_available(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    rule = await tenant.api.patch("/alert-rules/session-zombie", json={"threshold_s": 1})
    assert rule.status_code == 200, rule.text
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station):
        tx = await start_transaction(station, tag)
        await station.ok("StatusNotification", status(1, "Available"))
        alert = await wait_for_alert(
            tenant, named("session-zombie", "Triggered"), station_id=station_id
        )
        assert alert["detail"]["reason"] == "ConnectorAvailable"
        assert alert["transaction_id"] == tx

        assert (await listing(other_tenant, threshold_s=1))["items"] == []
        async for viewer in make_tenant(tenant.server, role="viewer"):
            refused = await viewer.api.post("/reconciliation/zombie-sessions/close", json={})
            assert refused.status_code == 403

        closed = await tenant.api.post(
            "/reconciliation/zombie-sessions/close", json={"transaction_ids": [tx, 987654321]}
        )
        assert closed.status_code == 200, closed.text
        body = closed.json()
        assert [(c["transaction_id"], c["reason"]) for c in body["closed"]] == [
            (tx, "ConnectorAvailable")
        ]
        assert body["closed"][0]["remote_stop"] == {"status": "Accepted"}
        assert station.calls("RemoteStopTransaction") == [{"transactionId": tx}]
        assert body["skipped"] == [
            {"transaction_id": 987654321, "detail": "not an overdue zombie session"}
        ]
        session = (await tenant.api.get(f"/transactions/{tx}")).json()
        assert session["stop_reason"] == "Reconciled"
        await wait_for_alert(tenant, named("session-zombie", "Resolved"), station_id=station_id)


async def test_a_charging_session_whose_meter_never_moves(tenant: Tenant, online: Online) -> None:
    """The station keeps talking (heartbeats), so it is not silent: its meter is what stalled."""
    for name, seconds in (("meter-stalled", 1), ("session-zombie", 3)):
        changed = await tenant.api.patch(f"/alert-rules/{name}", json={"threshold_s": seconds})
        assert changed.status_code == 200, changed.text
    tag = await accepted_tag(tenant)
    async with online() as (station_id, station):
        tx = await start_transaction(station, tag)
        await station.ok("StatusNotification", status(1, "Charging"))

        async def chatty() -> None:
            while True:
                await station.ok("Heartbeat", {})
                await asyncio.sleep(0.3)

        talking = asyncio.create_task(chatty())
        try:
            zombie = await wait_for_alert(
                tenant, named("session-zombie", "Triggered"), station_id=station_id
            )
            assert (zombie["transaction_id"], zombie["detail"]["reason"]) == (tx, "NoMeterProgress")
            (stalled,) = await alerts(tenant, name="meter-stalled", station_id=station_id)
            assert zombie["started_at"] == stalled["started_at"]
            (listed,) = (await listing(tenant))["items"]
            assert (listed["transaction_id"], listed["reason"]) == (tx, "NoMeterProgress")
            closed = await tenant.api.post("/reconciliation/zombie-sessions/close", json={})
            assert [c["transaction_id"] for c in closed.json()["closed"]] == [tx]
            await wait_for_alert(tenant, named("session-zombie", "Resolved"), station_id=station_id)
            await wait_for_alert(tenant, named("meter-stalled", "Resolved"), station_id=station_id)
        finally:
            talking.cancel()


async def test_an_automatic_policy_closes_zombies_by_itself(tenant: Tenant, online: Online) -> None:
    policy = (await tenant.api.get("/reconciliation/policy")).json()
    assert (policy["auto_close"], policy["threshold_s"]) == (False, 1800)
    async for operator in make_tenant(tenant.server, role="operator"):
        refused = await operator.api.put("/reconciliation/policy", json={"auto_close": True})
        assert refused.status_code == 403
    await tenant.api.patch("/alert-rules/session-zombie", json={"threshold_s": 1})
    changed = await tenant.api.put(
        "/reconciliation/policy", json={"auto_close": True, "reason": "AutoReconciled"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"auto_close": True, "reason": "AutoReconciled", "threshold_s": 1}

    tag = await accepted_tag(tenant)
    async with online() as (_, station):
        tx = await start_transaction(station, tag)
        await station.ok("StatusNotification", status(1, "Available"))

        async def reconciled() -> list[dict[str, Any]]:
            params = {"type": "session.reconciled", "transaction_id": tx}
            return list((await tenant.api.get("/events", params=params)).json()["items"])

        async def closed() -> bool:
            # The policy records `session.reconciled` once the force stop has committed, in a
            # unit of its own: the stop alone is not yet the end of it.
            found = (await tenant.api.get(f"/transactions/{tx}")).json()
            return found["stopped_at"] is not None and bool(await reconciled())

        await until(closed)
    session = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert (session["stop_reason"], session["force_stopped"]) == ("AutoReconciled", True)
    audit = (await tenant.api.get("/commands", params={"command": "force-stop"})).json()
    assert [item["actor"] for item in audit["items"]] == ["system:reconciliation"]
    events = await reconciled()
    assert [(e["data"]["by"], e["data"]["zombie_reason"]) for e in events] == [
        ("system:reconciliation", "ConnectorAvailable")
    ]
