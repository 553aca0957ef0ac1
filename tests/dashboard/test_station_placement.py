"""The stations list filtered by status (the station or any EVSE in it, as the REST list's
`status`), and placing a station at a location from its page as `PATCH /api/v1/stations/{id}`
with `location_id` does: operators only, a site-confined operator only inside its sites."""

from tests.commands.conftest import register
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_maintenance_windows import confined, placed_station
from tests.dashboard.test_pages import report


async def test_stations_are_filtered_by_status_as_the_rest_list_filters_them(
    tenant: Tenant,
) -> None:
    faulted, available = await register(tenant), await register(tenant)
    async with (
        scripted_station(tenant.server.ocpp_url, faulted) as first,
        scripted_station(tenant.server.ocpp_url, available) as second,
    ):
        await report(first, 1, "Available")
        await report(first, 2, "Faulted")
        await report(second, 1, "Available")
        viewer = await make_user(tenant, "viewer")
        async with browser_client(tenant, viewer) as client:
            in_fault = await client.get("/stations", params={"status": "Faulted"})
            any_status = await client.get("/stations", params={"status": ""})
            nonsense = await client.get("/stations", params={"status": "Broken"})
        rest = await tenant.api.get("/stations", params={"status": "Faulted"})
    assert [s["id"] for s in rest.json()["items"]] == [faulted]
    assert "1 station" in in_fault.text and faulted in in_fault.text
    assert available not in in_fault.text
    assert '<option value="Faulted" selected>' in in_fault.text
    assert faulted in any_status.text and available in any_status.text
    assert nonsense.status_code == 422 and "Faulted" in nonsense.text


async def test_an_operator_places_a_station_and_a_viewer_may_not(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id = await register(tenant)
    depot = (await tenant.api.post("/locations", json={"name": tenant.unique("Depot")})).json()
    theirs = (await other_tenant.api.post("/locations", json={"name": "Theirs"})).json()
    viewer = await make_user(tenant, "viewer")
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, viewer) as client:
        page = await client.get(f"/stations/{station_id}")
        refused = await client.post(
            f"/stations/{station_id}/location",
            data={"csrf_token": hidden(page.text, "csrf_token"), "location_id": depot["id"]},
        )
    assert "At no location" in page.text and 'id="station-place"' not in page.text
    assert refused.status_code == 403
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/stations/{station_id}")
        csrf, revision = hidden(page.text, "csrf_token"), hidden(page.text, "revision")
        foreign = await client.post(
            f"/stations/{station_id}/location",
            data={"csrf_token": csrf, "revision": revision, "location_id": theirs["id"]},
        )
        placed = await client.post(
            f"/stations/{station_id}/location",
            data={"csrf_token": csrf, "revision": revision, "location_id": depot["id"]},
        )
        stale = await client.post(
            f"/stations/{station_id}/location",
            data={"csrf_token": csrf, "revision": revision, "location_id": ""},
        )
        after = await client.get(f"/stations/{station_id}")
        removed = await client.post(
            f"/stations/{station_id}/location",
            data={
                "csrf_token": csrf,
                "revision": hidden(after.text, "revision"),
                "location_id": "",
            },
        )
    assert foreign.status_code == 422 and placed.status_code == 303
    assert stale.status_code == 412 and removed.status_code == 303
    assert f'href="/locations/{depot["id"]}">{depot["name"]}</a>' in after.text
    assert (await tenant.api.get(f"/stations/{station_id}")).json()["location_id"] is None


async def test_a_site_confined_operator_places_stations_only_inside_its_sites(
    tenant: Tenant,
) -> None:
    north, north_station = await placed_station(tenant, "north")
    south, _ = await placed_station(tenant, "south")
    hall = (await tenant.api.post("/locations", json={"name": "Hall", "parent_id": north})).json()[
        "id"
    ]
    operator = await confined(tenant, "operator", north)
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/stations/{north_station}")
        csrf, revision = hidden(page.text, "csrf_token"), hidden(page.text, "revision")
        outside = await client.post(
            f"/stations/{north_station}/location",
            data={"csrf_token": csrf, "revision": revision, "location_id": south},
        )
        nowhere = await client.post(
            f"/stations/{north_station}/location",
            data={"csrf_token": csrf, "revision": revision, "location_id": ""},
        )
        inside = await client.post(
            f"/stations/{north_station}/location",
            data={"csrf_token": csrf, "revision": revision, "location_id": hall},
        )
    assert f'<option value="{south}"' not in page.text
    assert outside.status_code == 404 and nowhere.status_code == 422
    assert inside.status_code == 303
    assert (await tenant.api.get(f"/stations/{north_station}")).json()["location_id"] == hall
