"""A station's device model page over HTTP, against the project's simulated OCPP 2.0.1 station:
the variables it reported, filtered by component; an operator sets one with the REST API's
`set-variables` (a broken field 422 beside it, the station's answer on the page) and asks for
a fresh report that shows the new value (a station password typed is never shown back); viewers get no forms and 403; a station outside a
site-confined user's sites and another organization's are 404."""

import re
from typing import Any

from tests.commands.v201.test_simulated_station import simulated
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.protocol.conftest import eventually


async def reported(tenant: Tenant, station_id: str, **params: str) -> list[dict[str, Any]]:
    answer = await tenant.api.get(f"/stations/{station_id}/device-model", params=params)
    return list(answer.json()["items"])


async def heartbeat(tenant: Tenant, station_id: str) -> dict[str, Any]:
    [row] = await reported(
        tenant, station_id, component="OCPPCommCtrlr", variable="HeartbeatInterval"
    )
    return row


async def test_an_operator_reads_and_sets_a_stations_variables(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant) as (station_id, station),
        browser_client(tenant, operator) as client,
    ):

        async def described() -> bool:
            return len(await reported(tenant, station_id)) > 0

        await eventually(described)
        base = f"/stations/{station_id}/device-model"
        page = await client.get(base)
        only = await client.get(base, params={"component": "OCPPCommCtrlr"})
        row = await heartbeat(tenant, station_id)
        [row_id] = re.findall(r'id="variable-(\d+)"', only.text)  # its one variable
        prefilled = await client.get(base, params={"edit": row_id})
        csrf = hidden(page.text, "csrf_token")
        broken = await client.post(
            f"{base}/set",
            data={"csrf_token": csrf, "component": "OCPPCommCtrlr", "evse_id": "first"},
        )
        password = {
            "component": "SecurityCtrlr",
            "variable": "BasicAuthPassword",
            "value": "s3cret-pass-1234",
            "evse_id": "x",
        }
        secret = await client.post(f"{base}/set", data={"csrf_token": csrf, **password})
        sent = {"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval", "value": "120"}
        answered = await client.post(f"{base}/set", data={"csrf_token": csrf, **sent})
        unknown = await client.post(
            f"{base}/set", data={"csrf_token": csrf, **sent, "variable": "NoSuchThing"}
        )
        held = station.device_model.value("OCPPCommCtrlr", "HeartbeatInterval")
        asked = await client.post(f"{base}/report", data={"csrf_token": csrf})

        async def updated() -> bool:
            return (await heartbeat(tenant, station_id))["value"] == "120"

        await eventually(updated)
        after = await client.get(base, params={"component": "OCPPCommCtrlr"})
        foreign = await other_tenant.api.get(f"/stations/{station_id}/device-model")

    assert page.status_code == 200 and "HeartbeatInterval" in page.text and "EVSE" in page.text
    assert 'id="variable-set"' in page.text
    assert "HeartbeatInterval" in only.text and "TxUpdatedInterval" not in only.text
    assert f'id="set-value" name="value" type="text" value="{row["value"]}"' in prefilled.text
    assert 'id="set-variable" name="variable" type="text" value="HeartbeatInterval"' in (
        prefilled.text
    )
    assert broken.status_code == 422
    assert 'id="set-evse_id-error"' in broken.text and 'id="set-variable-error"' in broken.text
    assert 'value="OCPPCommCtrlr"' in broken.text  # the form as sent
    assert secret.status_code == 422 and "s3cret-pass-1234" not in secret.text  # never echoed
    assert answered.status_code == 200 and "set-variables" in answered.text
    assert "Accepted" in answered.text and held == "120"
    assert unknown.status_code == 200 and "UnknownVariable" in unknown.text
    assert asked.status_code == 200 and "get-base-report:</strong> Accepted" in asked.text
    assert ">120 s<" in after.text or ">120<" in after.text
    assert foreign.status_code == 404


async def test_viewers_read_and_site_confined_users_see_their_sites_only(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    async with simulated(tenant) as (station_id, _station):

        async def described() -> bool:
            return len(await reported(tenant, station_id)) > 0

        await eventually(described)
        base = f"/stations/{station_id}/device-model"
        async with browser_client(tenant, viewer) as client:
            page = await client.get(base)
            csrf = hidden(page.text, "csrf_token")
            sent = {"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval", "value": "60"}
            refused = await client.post(f"{base}/set", data={"csrf_token": csrf, **sent})
            asked = await client.post(f"{base}/report", data={"csrf_token": csrf})
        async with browser_client(tenant, confined) as client:
            elsewhere = await client.get(base)
            await tenant.api.patch(f"/stations/{station_id}", json={"location_id": site["id"]})
            inside = await client.get(base)
    assert page.status_code == 200 and "HeartbeatInterval" in page.text
    assert 'id="variable-set"' not in page.text and 'id="report-ask"' not in page.text
    assert refused.status_code == 403 and asked.status_code == 403
    assert elsewhere.status_code == 404
    assert inside.status_code == 200 and 'id="variable-set"' in inside.text
