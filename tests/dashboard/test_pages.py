"""The pages over HTTP: what they show, to whom, and the remote operations behind them."""

import base64

from tests.api.factories import created
from tests.commands.conftest import register, start_transaction
from tests.commands.station import ScriptedStation, scripted_station
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.protocol.conftest import eventually
from tests.support.ocpp_client import PASSWORD

STATUS = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}


async def report(station: ScriptedStation, connector: int, status: str) -> None:
    await station.ok("StatusNotification", STATUS | {"connectorId": connector, "status": status})


async def test_a_station_page_shows_its_id_and_connectors(tenant: Tenant) -> None:
    station_id = await register(tenant)
    user = await make_user(tenant, "viewer")
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        await report(station, 1, "Available")
        await report(station, 2, "Faulted")
        async with browser_client(tenant, user) as client:
            page = await client.get(f"/stations/{station_id}")
    assert page.status_code == 200
    assert station_id in page.text and "Online" in page.text
    assert f'data-connector-status="{station_id}/1/1"' in page.text
    assert "status-available" in page.text and "status-faulted" in page.text


async def test_pages_accept_the_rest_apis_basic_credentials(tenant: Tenant) -> None:
    station_id = await register(tenant)
    user = await make_user(tenant, "viewer")
    credentials = base64.b64encode(f"{user.email}:{user.password}".encode()).decode()
    async with browser_client(tenant) as client:
        page = await client.get(
            f"/stations/{station_id}", headers={"Authorization": f"Basic {credentials}"}
        )
    assert page.status_code == 200 and station_id in page.text
    assert 'name="csrf_token"' not in page.text  # no forms without a session


async def test_another_organizations_station_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign = await register(other_tenant)
    user = await make_user(tenant, "admin")
    async with browser_client(tenant, user) as client:
        page = await client.get(f"/stations/{foreign}")
        listing = await client.get("/stations", params={"q": foreign})
    assert page.status_code == 404
    assert f"/stations/{foreign}" not in listing.text and "0 stations" in listing.text


async def test_stations_are_searched_and_paged_on_the_server(tenant: Tenant) -> None:
    marker = tenant.unique("findme")
    for n in range(53):
        await created(tenant.api, "/stations", {"id": f"{marker}-{n:02d}", "name": f"Bay {n}"})
    await created(tenant.api, "/stations", {"id": tenant.unique("other"), "name": "elsewhere"})
    user = await make_user(tenant, "viewer")
    async with browser_client(tenant, user) as client:
        first = await client.get("/stations", params={"q": marker.upper()})
        second = await client.get("/stations", params={"q": marker, "page": 2})
        by_name = await client.get("/stations", params={"q": "elsewhere"})
        offline = await client.get("/stations", params={"connected": "no"})
        nonsense = await client.get("/stations", params={"page": 0})
    assert "53 stations" in first.text and "Page 1 of 2" in first.text
    assert f"{marker}-00" in first.text and f"{marker}-50" not in first.text
    assert f"{marker}-50" in second.text and f"{marker}-00" not in second.text
    assert "1 station<" in by_name.text
    assert "54 stations" in offline.text
    assert nonsense.status_code == 422 and "Invalid input" in nonsense.text


async def test_a_viewer_gets_no_buttons_and_403_for_a_command(tenant: Tenant) -> None:
    station_id = await register(tenant)
    viewer = await make_user(tenant, "viewer")
    async with (
        scripted_station(tenant.server.ocpp_url, station_id) as station,
        browser_client(tenant, viewer) as client,
    ):
        await report(station, 1, "Available")
        page = await client.get(f"/stations/{station_id}")
        assert "Start session" not in page.text and "Unlock" not in page.text
        csrf = hidden(page.text, "csrf_token")  # the sign-out form's
        answer = await client.post(
            f"/stations/{station_id}/commands/unlock-connector",
            data={"csrf_token": csrf, "evse_id": "1"},
        )
        assert answer.status_code == 403
        assert station.calls("UnlockConnector") == []


async def test_an_operator_unlocks_and_sees_the_answer(tenant: Tenant) -> None:
    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/stations/{station_id}")
        csrf = hidden(page.text, "csrf_token")
        form = {"csrf_token": csrf, "evse_id": "1", "connector_id": "1"}
        path = f"/stations/{station_id}/commands/unlock-connector"
        offline = await client.post(path, data=form)
        async with scripted_station(tenant.server.ocpp_url, station_id) as station:
            await report(station, 1, "Available")
            unlocked = await client.post(path, data=form, headers={"X-Dashboard-Fragment": "1"})
            invalid = await client.post(path, data={"csrf_token": csrf, "evse_id": "zero"})
            forged = await client.post(path, data=form | {"csrf_token": "forged"})
            availability = await client.post(
                f"/stations/{station_id}/commands/change-availability",
                data={"csrf_token": csrf, "evse_id": "1", "operative": "false"},
            )
            unknown = await client.post(
                f"/stations/{station_id}/commands/clear-cache", data={"csrf_token": csrf}
            )
        assert station.calls("ChangeAvailability") == [{"connectorId": 1, "type": "Inoperative"}]
        assert station.calls("UnlockConnector") == [{"connectorId": 1}]
    assert offline.status_code == 409 and "Station offline" in offline.text
    assert unlocked.status_code == 200 and "Unlocked" in unlocked.text
    assert invalid.status_code == 422 and "evse_id" in invalid.text
    assert forged.status_code == 403
    assert availability.status_code == 200 and "Accepted" in availability.text
    assert unknown.status_code == 404


async def test_sessions_list_page_and_series(tenant: Tenant) -> None:
    station_id = await register(tenant)
    await tenant.api.post("/id-tags", json={"value": "DASHTAG", "status": "Accepted"})
    user = await make_user(tenant, "viewer")
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        tx = await start_transaction(station, "DASHTAG")
        for n, (power, energy) in enumerate([(7200, 1600), (7100, 2200)]):
            await station.ok(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": tx,
                    "meterValue": [
                        {
                            "timestamp": f"2026-01-01T10:0{n + 1}:00Z",
                            "sampledValue": [
                                {
                                    "value": str(power),
                                    "measurand": "Power.Active.Import",
                                    "unit": "W",
                                },
                                {
                                    "value": str(energy),
                                    "measurand": "Energy.Active.Import.Register",
                                    "unit": "Wh",
                                },
                            ],
                        }
                    ],
                },
            )
    async with browser_client(tenant, user) as client:
        listing = await client.get("/sessions", params={"station": station_id, "state": "active"})
        page = await client.get(f"/sessions/{tx}")
        series = (await client.get(f"/sessions/{tx}/series")).json()
    assert f'href="/sessions/{tx}"' in listing.text and "1 session<" in listing.text
    assert "DASHTAG" in page.text and 'id="session-plot"' in page.text
    assert series["power_kw"] == [7.2, 7.1]
    assert series["energy_kwh"] == [0.6, 1.2]  # the register less meterStart (1000 Wh)
    assert len(series["time"]) == 2 and series["active"] is True


async def test_the_live_feed_needs_a_signed_in_caller(tenant: Tenant) -> None:
    async with browser_client(tenant) as client:
        answer = await client.get("/live/events")
    assert answer.status_code == 401


async def test_the_overview_counts_and_draws_located_sites(tenant: Tenant) -> None:
    depot = await created(
        tenant.api, "/locations", {"name": "Depot", "latitude": "52.37", "longitude": "4.89"}
    )
    await created(tenant.api, "/locations", {"name": "Unplaced"})
    station_id = tenant.unique("CP")
    body = {"id": station_id, "password": PASSWORD, "location_id": depot["id"]}
    await created(tenant.api, "/stations", body)
    user = await make_user(tenant, "viewer")
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        await report(station, 1, "Available")
        await report(station, 2, "Available")
        async with browser_client(tenant, user) as client:
            page = await client.get("/")
            counts = await client.get("/overview/counts")
    assert page.status_code == 200
    assert '<dd data-figure="online">1</dd>' in page.text
    assert '<dd data-figure="offline">0</dd>' in page.text
    assert "Depot" in page.text and "Unplaced" in page.text
    assert page.text.count('class="map-dot"') == 1  # only the site with coordinates
    assert "status-available" in counts.text and "</span> 2</li>" in counts.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


async def test_the_overview_counts_open_alerts(tenant: Tenant) -> None:
    station_id = await register(tenant)
    user = await make_user(tenant, "viewer")
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        await report(station, 1, "Faulted")  # raises a connector-faulted alert
        async with browser_client(tenant, user) as client:

            async def counted() -> bool:
                counts = await client.get("/overview/counts")
                return '<dd data-figure="alerts">1</dd>' in counts.text

            await eventually(counted)
