"""A 2.x station's monitors page over HTTP, against the project's simulated OCPP 2.0.1 station:
an operator sets a monitor with the REST API's `set-variable-monitoring` (a broken field 422
beside it, the form as sent; the station's answer on the page), the station reports it and it
is listed, and a row's button clears it (the station's Accepted takes it off the list); viewers
read without forms and get 403; another organization's user and a site-confined user outside
the station's site get 404; the station page links the page for 2.x only."""

from tests.commands.v201.test_simulated_station import simulated
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.protocol.conftest import eventually

POWER_MONITOR = {
    "component": "EVSE",
    "evse_id": "1",
    "variable": "Power",
    "type": "UpperThreshold",
    "value": "20000",
    "severity": "4",
    "transaction": "false",
}


async def test_an_operator_sets_lists_and_clears_a_monitor(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    stranger = await make_user(other_tenant, "admin")
    async with (
        simulated(tenant) as (station_id, station),
        browser_client(tenant, operator) as client,
    ):
        base = f"/stations/{station_id}/monitors"
        station_page = await client.get(f"/stations/{station_id}")
        empty = await client.get(base)
        csrf = hidden(empty.text, "csrf_token")
        broken = await client.post(
            base, data={"csrf_token": csrf, **POWER_MONITOR, "component": "", "value": "high"}
        )
        made = await client.post(base, data={"csrf_token": csrf, **POWER_MONITOR})
        installed = dict(station.device_model.monitors)
        await station.notify_monitoring_report()

        async def listed() -> bool:
            return 'id="monitor-1"' in (await client.get(base)).text

        await eventually(listed)
        shown = await client.get(base)
        rest = await tenant.api.get(f"/stations/{station_id}/device-model/monitors")
        async with browser_client(other_tenant, stranger) as theirs:
            foreign = await theirs.get(base)
            foreign_clear = await theirs.post(
                f"{base}/1/clear",
                data={"csrf_token": hidden((await theirs.get("/")).text, "csrf_token")},
            )
        cleared = await client.post(f"{base}/1/clear", data={"csrf_token": csrf})
        after = await client.get(base)
        rest_after = await tenant.api.get(f"/stations/{station_id}/device-model/monitors")

    assert 'href="/stations/' in station_page.text and f'{base}"' in station_page.text
    assert "/configuration" not in station_page.text
    assert empty.status_code == 200 and "No monitor reported" in empty.text
    assert 'id="monitor-set"' in empty.text
    assert broken.status_code == 422 and 'id="monitor-errors"' in broken.text
    assert (
        'id="monitor-component-error"' in broken.text and 'id="monitor-value-error"' in broken.text
    )
    assert 'value="high"' in broken.text and 'value="Power"' in broken.text  # as sent
    assert made.status_code == 200 and "set-variable-monitoring:</strong> Accepted" in made.text
    assert [(m.type, m.value, m.severity) for m in installed.values()] == [
        ("UpperThreshold", 20000.0, 4)
    ]
    assert shown.status_code == 200 and "UpperThreshold" in shown.text and ">20000<" in shown.text
    assert [m["monitor_id"] for m in rest.json()["items"]] == [1]
    assert foreign.status_code == 404 and foreign_clear.status_code == 404
    assert cleared.status_code == 200
    assert "clear-variable-monitoring:</strong>" in cleared.text
    assert 'id="monitor-1"' not in cleared.text and 'id="monitor-1"' not in after.text
    assert station.device_model.monitors == {} and rest_after.json()["items"] == []


async def test_viewers_read_monitors_without_forms(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    async with simulated(tenant) as (station_id, station):
        station.device_model.monitor(("EVSE", 1, None, "Power"), "UpperThreshold", 11000.0, 3, None)
        await station.notify_monitoring_report()
        base = f"/stations/{station_id}/monitors"
        async with browser_client(tenant, viewer) as client:

            async def listed() -> bool:
                return 'id="monitor-1"' in (await client.get(base)).text

            await eventually(listed)
            page = await client.get(base)
            csrf = hidden(page.text, "csrf_token")
            refused = await client.post(base, data={"csrf_token": csrf, **POWER_MONITOR})
            clear = await client.post(f"{base}/1/clear", data={"csrf_token": csrf})
        async with browser_client(tenant, confined) as client:
            elsewhere = await client.get(base)
    assert page.status_code == 200 and "11000" in page.text
    assert 'id="monitor-set"' not in page.text and "Clear monitor" not in page.text
    assert refused.status_code == 403 and clear.status_code == 403
    assert elsewhere.status_code == 404


async def test_read_from_station_makes_the_list_what_the_station_has(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    """The station reported monitors 1 and 2, then dropped 2 and gained 3 without a word: the
    operator's **Read from station** (get-monitoring-report) lists 1 and 3 and says when it
    read them. A viewer sees no button and is refused the POST; another organization gets 404."""
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    stranger = await make_user(other_tenant, "admin")
    async with simulated(tenant) as (station_id, station):
        model = station.device_model
        model.monitor(("EVSE", 1, None, "Power"), "UpperThreshold", 11000.0, 3, None)
        model.monitor(("EVSE", 2, None, "Power"), "LowerThreshold", 100.0, 5, None)
        await station.notify_monitoring_report()
        del model.monitors[2]
        model.monitor(("Connector", 1, 1, "ConnectorType"), "Delta", 1.0, 7, None)
        base = f"/stations/{station_id}/monitors"
        async with browser_client(tenant, operator) as client:
            before = await client.get(base)
            csrf = hidden(before.text, "csrf_token")
            read = await client.post(f"{base}/read", data={"csrf_token": csrf})

            async def listed() -> bool:
                page = (await client.get(base)).text
                return 'id="monitor-3"' in page and 'id="monitor-2"' not in page

            await eventually(listed)
            after = await client.get(base)
        async with browser_client(tenant, viewer) as client:
            seen = await client.get(base)
            refused = await client.post(
                f"{base}/read", data={"csrf_token": hidden(seen.text, "csrf_token")}
            )
        async with browser_client(other_tenant, stranger) as theirs:
            foreign = await theirs.post(
                f"{base}/read",
                data={"csrf_token": hidden((await theirs.get("/")).text, "csrf_token")},
            )
        rest = await tenant.api.get(f"/stations/{station_id}/device-model/monitors")
        commands = await tenant.api.get("/commands", params={"station_id": station_id})
    assert (
        'id="monitors-read-ask"' in before.text and "Not read from the station yet" in before.text
    )
    assert 'id="monitor-2"' in before.text
    assert read.status_code == 200 and "get-monitoring-report:</strong> Accepted" in read.text
    assert "Last read from the station at" in after.text and 'id="monitor-1"' in after.text
    assert "awaits the station" not in after.text
    assert [m["monitor_id"] for m in rest.json()["items"]] == [1, 3]
    assert seen.status_code == 200 and 'id="monitors-read-ask"' not in seen.text
    assert "Last read from the station at" in seen.text
    assert refused.status_code == 403 and foreign.status_code == 404
    assert [c["command"] for c in commands.json()["items"]] == ["get-monitoring-report"]
