"""The station page's power limit form over HTTP: the profile the REST API's
`/stations/{id}/power-limit` would send, the station's answer, its rules and its role."""

from chargeyard.charging_profiles.domain import Purpose, power_limit_id
from tests.commands.conftest import register
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_pages import report


async def test_an_operator_limits_an_evse_and_removes_the_limit(tenant: Tenant) -> None:
    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    path = f"/stations/{station_id}/power-limit"
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        await report(station, 1, "Available")
        async with browser_client(tenant, operator) as client:
            page = await client.get(f"/stations/{station_id}")
            csrf = hidden(page.text, "csrf_token")
            form = {"csrf_token": csrf, "evse_id": "1", "limit": "7.4", "unit": "kW"}
            limited = await client.post(path, data=form, headers={"X-Dashboard-Fragment": "1"})
            negative = await client.post(path, data=form | {"limit": "-1"})
            bad_unit = await client.post(path, data=form | {"unit": "MW"})
            cleared = await client.post(f"{path}/clear", data={"csrf_token": csrf, "evse_id": "1"})
        async with browser_client(tenant, viewer) as client:
            viewer_page = await client.get(f"/stations/{station_id}")
            refused = await client.post(
                path, data=form | {"csrf_token": hidden(viewer_page.text, "csrf_token")}
            )
        sent = station.calls("SetChargingProfile")
        removed = station.calls("ClearChargingProfile")
    assert 'id="power-limit"' in page.text and 'id="power-limit"' not in viewer_page.text
    assert limited.status_code == 200 and "Accepted" in limited.text
    assert "power-limit" in limited.text
    assert negative.status_code == 422 and "invalid power limit" in negative.text
    assert bad_unit.status_code == 422 and "unit" in bad_unit.text
    assert refused.status_code == 403
    assert cleared.status_code == 200 and "Accepted" in cleared.text
    assert len(sent) == 1 and sent[0]["connectorId"] == 1
    schedule = sent[0]["csChargingProfiles"]["chargingSchedule"]
    assert schedule["chargingRateUnit"] == "W"
    assert schedule["chargingSchedulePeriod"][0]["limit"] == 7400
    assert removed == [{"id": power_limit_id(Purpose.TX_DEFAULT, 1, 0)}]
    commands = (await tenant.api.get("/commands", params={"station_id": station_id})).json()
    assert {c["command"] for c in commands["items"]} >= {
        "set-charging-profile",
        "clear-charging-profile",
    }


async def test_an_offline_station_says_so(tenant: Tenant) -> None:
    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/stations/{station_id}")
        offline = await client.post(
            f"/stations/{station_id}/power-limit",
            data={"csrf_token": hidden(page.text, "csrf_token"), "limit": "11"},
        )
    assert offline.status_code == 409 and "Station offline" in offline.text
