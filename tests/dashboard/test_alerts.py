"""The alerts pages: open alerts listed and filtered on the server; an operator acknowledges and
resolves one with the REST API's rules; a viewer sees no such form and gets 403."""

from tests.alerts.conftest import wait_for_alert
from tests.commands.conftest import Online, online
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

__all__ = ["online"]

FAULT = {"connectorId": 2, "status": "Faulted", "errorCode": "GroundFailure"}


async def test_an_operator_acknowledges_and_resolves_an_alert(
    tenant: Tenant, online: Online
) -> None:
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    async with online() as (station_id, station):
        await station.ok("StatusNotification", FAULT)
        alert = await wait_for_alert(
            tenant, lambda a: a["name"] == "connector-faulted", station_id=station_id
        )
    path = f"/alerts/{alert['id']}"
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/alerts", params={"station": station_id})
        high = await client.get("/alerts", params={"station": station_id, "urgency": "Low"})
        seen = await client.get(path)
        forged = await client.post(
            path, data={"csrf_token": hidden(listing.text, "csrf_token"), "status": "Acknowledged"}
        )
    async with browser_client(tenant, operator) as client:
        page = await client.get(path)
        csrf = hidden(page.text, "csrf_token")
        acknowledged = await client.post(
            path, data={"csrf_token": csrf, "status": "Acknowledged", "note": "on it"}
        )
        unexplained = await client.post(path, data={"csrf_token": csrf, "status": "Resolved"})
        resolved = await client.post(
            path, data={"csrf_token": csrf, "status": "Resolved", "note": "replaced the cable"}
        )
        after = await client.get(path)
        still_open = await client.get("/alerts", params={"station": station_id})
        closed = await client.get("/alerts", params={"station": station_id, "state": "Resolved"})
    assert listing.status_code == 200 and path in listing.text
    assert path not in high.text  # filtered on the server: this one is High
    assert seen.status_code == 200 and 'id="alert-change"' not in seen.text
    assert forged.status_code == 403
    assert acknowledged.status_code == 303 and unexplained.status_code == 422
    assert resolved.status_code == 303
    assert operator.email in after.text and "replaced the cable" in after.text
    assert path not in still_open.text and path in closed.text
    final = (await tenant.api.get(path)).json()
    assert final["status"] == "Resolved" and len(final["notes"]) == 2


async def test_another_organizations_alert_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        page = await client.get("/alerts/0123456789abcdef0123456789abcdef")
    assert page.status_code == 404
