"""The vehicles pages over HTTP: an operator adds, changes and deletes a vehicle with the REST
API's rules (a broken or emptied field 422 beside its field, a stale form 412); a viewer and a
site-confined operator read without forms and get 403; another organization's vehicle is 404."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

VAN = {
    "name": "Van 12",
    "id_tag": "VAN-12",
    "battery_kwh": "75",
    "soc_percent": "20",
    "target_soc_percent": "80",
    "departure_time": "06:30",
    "max_power_kw": "11",
    "priority": "2",
}


async def test_an_operator_keeps_the_fleet_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    theirs = await other_tenant.api.post("/vehicles", json={"name": "Theirs", "battery_kwh": 50})
    async with browser_client(tenant, operator) as client:
        page = await client.get("/vehicles")
        csrf = hidden(page.text, "csrf_token")
        made = await client.post("/vehicles", data={"csrf_token": csrf, **VAN})
        path = made.headers["location"]
        broken = await client.post(
            "/vehicles",
            data={
                "csrf_token": csrf,
                **VAN,
                "battery_kwh": "0",
                "departure_time": "25:00",
                "soc_percent": "many",
            },
        )
        shown = await client.get(path)
        revision = hidden(shown.text, "revision")
        changed = await client.post(
            path,
            data={
                "csrf_token": csrf,
                "revision": revision,
                **VAN,
                "target_soc_percent": "",
                "departure_time": "",
                "priority": "",
            },
        )
        stale = await client.post(path, data={"csrf_token": csrf, "revision": revision, **VAN})
        emptied = await client.post(
            path,
            data={"csrf_token": csrf, "revision": str(int(revision) + 1), **VAN, "name": ""},
        )
        listed = await client.get("/vehicles")
        foreign = await client.get(f"/vehicles/{theirs.json()['id']}")
        foreign_change = await client.post(
            f"/vehicles/{theirs.json()['id']}",
            data={"csrf_token": csrf, "revision": "1", **VAN},
        )
        after_change = (await tenant.api.get(path)).json()
        deleted = await client.post(f"{path}/delete", data={"csrf_token": csrf})

    assert page.status_code == 200 and 'id="vehicle-new"' in page.text
    assert made.status_code == 303 and path.startswith("/vehicles/")
    assert broken.status_code == 422
    for field in ("battery_kwh", "departure_time", "soc_percent"):
        assert f'id="new-{field}-error"' in broken.text, field
    assert 'value="Van 12"' in broken.text  # the form as sent
    assert changed.status_code == 303
    assert (after_change["target_soc_percent"], after_change["departure_time"]) == (100.0, None)
    assert after_change["priority"] is None and after_change["battery_kwh"] == 75.0
    assert stale.status_code == 412 and "changed since this page was loaded" in stale.text
    assert emptied.status_code == 422 and 'id="edit-name-error"' in emptied.text
    assert "Van 12" in listed.text and "Theirs" not in listed.text
    assert foreign.status_code == 404 and foreign_change.status_code == 404
    assert deleted.status_code == 303
    assert (await tenant.api.get("/vehicles")).json()["total"] == 0
    assert (await other_tenant.api.get("/vehicles")).json()["total"] == 1


async def test_viewers_and_site_confined_operators_read_only(tenant: Tenant) -> None:
    made = await tenant.api.post("/vehicles", json={"name": "Van 3", "battery_kwh": 60})
    vehicle = made.json()["id"]
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    for user in (viewer, confined):
        async with browser_client(tenant, user) as client:
            listing = await client.get("/vehicles")
            page = await client.get(f"/vehicles/{vehicle}")
            csrf = hidden(page.text, "csrf_token")
            added = await client.post("/vehicles", data={"csrf_token": csrf, **VAN})
            changed = await client.post(
                f"/vehicles/{vehicle}", data={"csrf_token": csrf, "revision": "1", **VAN}
            )
            deleted = await client.post(f"/vehicles/{vehicle}/delete", data={"csrf_token": csrf})
        assert listing.status_code == 200 and "Van 3" in listing.text
        assert 'id="vehicle-new"' not in listing.text and 'id="vehicle-edit"' not in page.text
        assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert (await tenant.api.get(f"/vehicles/{vehicle}")).json()["name"] == "Van 3"


async def test_the_forms_keep_and_set_the_fleet_identity(tenant: Tenant) -> None:
    """A vehicle's VIN, make, model, plate and group are fields of the forms: a change made
    with the page keeps what it showed, and sets what was typed (a VIN in lower case too)."""
    vans = await tenant.api.post("/vehicle-groups", json={"name": "Vans"})
    cars = await tenant.api.post("/vehicle-groups", json={"name": "Cars"})
    identity = {
        "vin": "WVWZZZ1JZXW000001",
        "make": "Volkswagen",
        "model": "ID. Buzz",
        "license_plate": "B-CY 12",
        "group_id": vans.json()["id"],
    }
    made = await tenant.api.post("/vehicles", json={"name": "Van", "battery_kwh": 75, **identity})
    path = f"/vehicles/{made.json()['id']}"
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        shown = await client.get(path)
        fields = {"csrf_token": hidden(shown.text, "csrf_token")}
        fields |= {"revision": hidden(shown.text, "revision"), "name": "Van", "battery_kwh": "75"}
        kept = await client.post(path, data={**fields, **identity})
        after_keep = (await tenant.api.get(path)).json()
        again = await client.get(path)
        fields["revision"] = hidden(again.text, "revision")
        moved = {**identity, "vin": "wvwzzz1jzxw000002", "group_id": cars.json()["id"]}
        changed = await client.post(path, data={**fields, **moved})
        listed = await client.get("/vehicles")
    assert 'id="vehicle-group">Vans<' in shown.text and "WVWZZZ1JZXW000001" in shown.text
    assert f'<option value="{identity["group_id"]}" selected>Vans</option>' in shown.text
    assert kept.status_code == 303
    assert {name: after_keep[name] for name in identity} == identity
    assert changed.status_code == 303
    after = (await tenant.api.get(path)).json()
    assert (after["vin"], after["group_id"]) == ("WVWZZZ1JZXW000002", cars.json()["id"])
    assert "B-CY 12" in listed.text and "Cars" in listed.text
