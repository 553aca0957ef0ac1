"""An operator resolving an alert by hand and the evaluator resolving it because the station
reported the fault gone, made to meet on purpose: the evaluator reads the alerts it may resolve
locked (`alerts/repository.py: open_alerts, alerts_by_id`), as the operator's change guarded by
If-Match reads its alert, so the two take turns, and the evaluator no longer finds open the
alert the operator resolved. Without the lock, on PostgreSQL (CHARGEYARD_TEST_POSTGRES_URL),
the evaluator wrote over the operator's resolution (resolved by "system", a second
`alert.resolved`) with the revision it had computed before: two versions of the alert shared
one ETag."""

import asyncio

from tests.alerts.conftest import alerts, wait_for_alert
from tests.alerts.test_event_rules import named, status
from tests.commands.conftest import Online
from tests.conftest import Tenant
from tests.support.contention import DEADLINE_S, held_writes


async def test_an_alert_resolved_by_hand_while_its_fault_clears_is_resolved_once(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        await station.ok("StatusNotification", status(1, "Faulted", "GroundFailure"))
        alert = await wait_for_alert(
            tenant, named("connector-faulted", "Triggered"), station_id=station_id
        )
        path = f"/alerts/{alert['id']}"
        etag = (await tenant.api.get(path)).headers["ETag"]
        body = {"status": "Resolved", "note": "replaced the cable"}
        async with held_writes(tenant.server) as gate:
            change = asyncio.ensure_future(
                tenant.api.patch(path, json=body, headers={"If-Match": etag})
            )
            await gate.holding_first()
            # The recovery and the evaluator's resolution are the other write: on SQLite the
            # report queues behind the change at once; on PostgreSQL it is stored, and the
            # evaluator then waits on the alert's row.
            clearing = asyncio.Event()
            clearing.set()
            recovered = asyncio.ensure_future(
                station.ok("StatusNotification", status(1, "Available"))
            )
            await gate.other_waiting(clearing, asyncio.Event())
            gate.release_first()
            async with asyncio.timeout(DEADLINE_S):
                changed = await change
                await recovered
        # The evaluator follows the event log in order: a second fault's alert means it has
        # judged the recovery.
        await station.ok("StatusNotification", status(1, "Faulted", "GroundFailure"))
        await wait_for_alert(tenant, named("connector-faulted", "Triggered"), station_id=station_id)

    assert changed.status_code == 200, changed.text
    after = await tenant.api.get(path)
    resolved = after.json()
    assert resolved["status"] == "Resolved"
    assert resolved["resolved_by"] == changed.json()["resolved_by"] != "system"
    # Nothing wrote the alert after the operator: its ETag is still the change's.
    assert after.headers["ETag"] == changed.headers["ETag"] != etag
    events = await tenant.api.get("/events", params={"type": "alert.resolved"})
    assert [e["data"]["alert_id"] for e in events.json()["items"]].count(alert["id"]) == 1
    assert len(await alerts(tenant, station_id=station_id, name="connector-faulted")) == 2
