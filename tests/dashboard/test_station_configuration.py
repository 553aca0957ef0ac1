"""A 1.6 station's configuration page over HTTP, against the project's simulated OCPP 1.6
station: an operator asks for a fresh read and the page lists every key the station answered;
a change goes out as `change-configuration` (a broken field 422 beside it, the form as sent;
the station's answer on the page) and shows once the station is read again; viewers read without
forms and get 403; another organization's user and a site-confined user outside the station's
site get 404; the station page links the page for 1.6 only, and a 2.x station's page offers no
form."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from chargeyard.simulator.v16 import SimulatedStation
from tests.commands.conftest import register
from tests.commands.v201.test_simulated_station import simulated as simulated_v201
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.support.ocpp_client import PASSWORD


@asynccontextmanager
async def simulated(tenant: Tenant) -> AsyncIterator[tuple[str, SimulatedStation]]:
    station_id = await register(tenant)
    station = SimulatedStation(tenant.server.ocpp_url, station_id, password=PASSWORD)
    try:
        assert await station.ensure_online()
        yield station_id, station
    finally:
        await station.close()


async def test_an_operator_reads_and_changes_a_key(tenant: Tenant, other_tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    stranger = await make_user(other_tenant, "admin")
    async with (
        simulated(tenant) as (station_id, station),
        browser_client(tenant, operator) as client,
    ):
        base = f"/stations/{station_id}/configuration"
        station_page = await client.get(f"/stations/{station_id}")
        empty = await client.get(base)
        csrf = hidden(empty.text, "csrf_token")
        read = await client.post(f"{base}/read", data={"csrf_token": csrf})
        prefilled = await client.get(base, params={"edit": "HeartbeatInterval"})
        readonly = await client.get(base, params={"edit": "NumberOfConnectors"})
        broken = await client.post(
            f"{base}/change", data={"csrf_token": csrf, "key": "", "value": "x" * 501}
        )
        changed = await client.post(
            f"{base}/change",
            data={"csrf_token": csrf, "key": "HeartbeatInterval", "value": "120"},
        )
        unknown = await client.post(
            f"{base}/change", data={"csrf_token": csrf, "key": "NoSuchKey", "value": "1"}
        )
        held = station.configuration.integer("HeartbeatInterval")
        before_read = await client.get(base)
        await client.post(f"{base}/read", data={"csrf_token": csrf})
        after = await client.get(base)
        async with browser_client(other_tenant, stranger) as theirs:
            foreign = await theirs.get(base)
            token = hidden((await theirs.get("/")).text, "csrf_token")
            foreign_read = await theirs.post(f"{base}/read", data={"csrf_token": token})

    assert f'href="{base}"' in station_page.text and "/monitors" not in station_page.text
    assert empty.status_code == 200 and "No key reported yet" in empty.text
    assert read.status_code == 200 and "get-configuration:</strong> Accepted" in read.text
    assert 'data-configuration-value="HeartbeatInterval"' in read.text
    assert 'id="key-NumberOfConnectors"' in read.text
    assert 'id="change-key" name="key" type="text" value="HeartbeatInterval"' in prefilled.text
    assert 'id="change-key" name="key" type="text" value=""' in readonly.text  # not offered
    assert broken.status_code == 422 and 'id="change-errors"' in broken.text
    assert 'id="change-key-error"' in broken.text and 'id="change-value-error"' in broken.text
    assert changed.status_code == 200 and "change-configuration:</strong> Accepted" in changed.text
    assert held == 120
    assert unknown.status_code == 200 and "NotSupported" in unknown.text
    assert 'data-configuration-value="HeartbeatInterval">120<' not in before_read.text
    assert 'data-configuration-value="HeartbeatInterval">120<' in after.text
    assert foreign.status_code == 404 and foreign_read.status_code == 404


async def test_viewers_read_keys_without_forms(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    async with simulated(tenant) as (station_id, _station):
        read = await tenant.api.post(f"/stations/{station_id}/commands/get-configuration", json={})
        base = f"/stations/{station_id}/configuration"
        async with browser_client(tenant, viewer) as client:
            page = await client.get(base)
            csrf = hidden(page.text, "csrf_token")
            refused = await client.post(
                f"{base}/change",
                data={"csrf_token": csrf, "key": "HeartbeatInterval", "value": "60"},
            )
            asked = await client.post(f"{base}/read", data={"csrf_token": csrf})
        async with browser_client(tenant, confined) as client:
            elsewhere = await client.get(base)
    assert read.status_code == 200, read.text
    assert page.status_code == 200 and 'data-configuration-value="HeartbeatInterval"' in page.text
    assert (
        'id="configuration-change"' not in page.text and 'id="configuration-read"' not in page.text
    )
    assert refused.status_code == 403 and asked.status_code == 403
    assert elsewhere.status_code == 404


async def test_a_2x_station_has_no_configuration_form(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    async with (
        simulated_v201(tenant) as (station_id, _station),
        browser_client(tenant, operator) as client,
    ):
        page = await client.get(f"/stations/{station_id}/configuration")
    assert page.status_code == 200 and "device model" in page.text
    assert 'id="configuration-change"' not in page.text
