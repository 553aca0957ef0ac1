"""The locations pages: the site tree as `/api/v1/locations` has it, locations added, changed
and deleted by operators through the REST API's rules, and a site-confined operator kept to its
sites."""

from typing import Any

from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def new_location(tenant: Tenant, **body: Any) -> dict[str, Any]:
    made = await tenant.api.post("/locations", json=body)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_viewers_read_the_tree_and_may_not_change_it(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    depot = await new_location(tenant, name="Depot", city="Utrecht", country="NL")
    hall = await new_location(tenant, name="Hall A", parent_id=depot["id"])
    station_id = await register(tenant)
    await tenant.api.patch(f"/stations/{station_id}", json={"location_id": hall["id"]})
    await register(tenant)  # at no location
    foreign = await new_location(other_tenant, name="Theirs")
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/locations")
        depot_page = await client.get(f"/locations/{depot['id']}")
        hall_page = await client.get(f"/locations/{hall['id']}")
        not_ours = await client.get(f"/locations/{foreign['id']}")
        under_depot = await client.get("/stations", params={"location": depot["id"]})
        under_hall = await client.get("/stations", params={"location": hall["id"]})
        under_other = await client.get("/stations", params={"location": foreign["id"]})
        csrf = hidden(listing.text, "csrf_token")
        refused = [
            await client.post(path, data={"csrf_token": csrf} | data)
            for path, data in (
                ("/locations", {"name": "V", "timezone": "UTC"}),
                (f"/locations/{depot['id']}", {"name": "V", "timezone": "UTC", "revision": "1"}),
                (f"/locations/{hall['id']}/delete", {}),
            )
        ]
    assert listing.status_code == 200 and 'href="/locations"' in listing.text
    assert "2 locations" in listing.text and "Theirs" not in listing.text
    assert f'<a href="/locations/{depot["id"]}">Depot</a>' in listing.text
    assert "Utrecht" in listing.text
    assert f'href="/locations/{hall["id"]}">Hall A</a>' in depot_page.text
    assert "Utrecht, NL" in depot_page.text and "No station here." in depot_page.text
    assert station_id in hall_page.text and ">Depot</a>" in hall_page.text
    assert f'href="/maintenance-windows?location={hall["id"]}"' in hall_page.text
    assert not_ours.status_code == 404
    # The stations list filters by a location and everything below it.
    assert "1 station" in under_depot.text and station_id in under_depot.text
    assert "1 station" in under_hall.text and f'href="/stations?location={depot["id"]}"' in (
        depot_page.text
    )
    assert "0 stations" in under_other.text
    assert 'id="location-new"' not in listing.text and 'id="location-edit"' not in hall_page.text
    assert [r.status_code for r in refused] == [403] * 3


async def test_an_operator_builds_and_changes_the_tree_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign = await new_location(other_tenant, name="Elsewhere")
    tariff = await tenant.api.post(
        "/tariffs",
        json={
            "name": "Depot rate",
            "currency": "EUR",
            "elements": [{"price_components": [{"type": "ENERGY", "price": "0.3"}]}],
        },
    )
    operator = await make_user(tenant, "operator")
    new = {
        "name": "Depot",
        "parent_id": "",
        "address": "Main street 1",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
        "latitude": "52.52",
        "longitude": "13.405",
        "timezone": "Europe/Berlin",
    }
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/locations")
        csrf = hidden(listing.text, "csrf_token")
        made = await client.post("/locations", data=new | {"csrf_token": csrf})
        depot_id = made.headers["location"].rsplit("/", 1)[1]
        child = await client.post(
            "/locations", data={"csrf_token": csrf, "name": "Bay 1", "parent_id": depot_id}
        )
        child_id = child.headers["location"].rsplit("/", 1)[1]
        bad_zone = await client.post(
            "/locations", data=new | {"csrf_token": csrf, "timezone": "Mars/Olympus"}
        )
        bad_lat = await client.post("/locations", data=new | {"csrf_token": csrf, "latitude": "91"})
        foreign_parent = await client.post(
            "/locations", data=new | {"csrf_token": csrf, "parent_id": foreign["id"]}
        )
        edit = new | {"csrf_token": csrf, "revision": "1", "city": "", "latitude": ""}
        edit |= {"longitude": "", "tariff_id": tariff.json()["id"]}
        changed = await client.post(f"/locations/{depot_id}", data=edit)
        stale = await client.post(f"/locations/{depot_id}", data=edit)
        page = await client.get(f"/locations/{depot_id}")
        loop = await client.post(
            f"/locations/{depot_id}",
            data=edit | {"revision": "2", "parent_id": child_id, "tariff_id": ""},
        )
        no_name = await client.post(
            f"/locations/{depot_id}", data=edit | {"revision": "2", "name": ""}
        )
        held = await client.post(f"/locations/{depot_id}/delete", data={"csrf_token": csrf})
        gone = await client.post(f"/locations/{child_id}/delete", data={"csrf_token": csrf})
        not_ours = await client.post(
            f"/locations/{foreign['id']}/delete", data={"csrf_token": csrf}
        )
    assert 'id="location-new"' in listing.text
    assert made.status_code == 303 and child.status_code == 303
    assert bad_zone.status_code == 422 and "IANA" in bad_zone.text
    assert bad_lat.status_code == 422 and foreign_parent.status_code == 422
    # A refused location comes back on the list as sent, each refusal beside its field.
    assert 'id="new-location-errors"' in bad_zone.text and 'value="Mars/Olympus"' in bad_zone.text
    assert 'id="new-location-latitude-error"' in bad_lat.text and 'value="91"' in bad_lat.text
    assert 'id="new-location-parent_id-error"' in foreign_parent.text
    assert changed.status_code == 303 and stale.status_code == 412
    assert ">Depot rate</a>" in page.text and "Main street 1, 10115, DE" in page.text
    assert loop.status_code == 422 and "descendants" in loop.text
    assert no_name.status_code == 422
    # A refused edit comes back on the location's page as sent, each refusal beside its field.
    assert 'id="edit-location-errors"' in stale.text and "changed since" in stale.text
    assert 'name="revision" value="1"' in stale.text
    assert 'id="edit-location-parent_id-error"' in loop.text
    assert (
        'id="edit-location-name-error"' in no_name.text and 'value="Main street 1"' in no_name.text
    )
    assert held.status_code == 409 and "child" in held.text
    assert 'id="refusal"' in held.text and "Not done:" in held.text  # above the location's page
    assert gone.status_code == 303 and not_ours.status_code == 404
    stored = (await tenant.api.get(f"/locations/{depot_id}")).json()
    assert (stored["city"], stored["latitude"], stored["timezone"]) == (
        None,
        None,
        "Europe/Berlin",
    )
    assert stored["tariff_id"] == tariff.json()["id"] and stored["country"] == "DE"
    assert (await tenant.api.get(f"/locations/{child_id}")).status_code == 404


async def test_a_site_confined_operator_keeps_to_its_sites(tenant: Tenant) -> None:
    north = await new_location(tenant, name="North")
    south = await new_location(tenant, name="South")
    operator = await make_user(tenant, "operator")
    await tenant.api.patch(f"/users/{operator.id}", json={"location_ids": [north["id"]]})
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/locations")
        csrf = hidden(listing.text, "csrf_token")
        top = await client.post("/locations", data={"csrf_token": csrf, "name": "Top"})
        inside = await client.post(
            "/locations", data={"csrf_token": csrf, "name": "North bay", "parent_id": north["id"]}
        )
        theirs = await client.get(f"/locations/{south['id']}")
        after = await client.get("/locations")
    assert "North" in listing.text and "South" not in listing.text
    assert f'<option value="{south["id"]}"' not in listing.text
    assert top.status_code == 422 and inside.status_code == 303
    assert theirs.status_code == 404 and "North bay" in after.text
