"""The energy prices page over HTTP: an operator of the whole organization adds a price and
deletes one with the REST API's rules (a broken field 422 beside it, an interval that ends before
it starts said beside its end, the form as sent); viewers and site-confined operators read
without forms and get 403; a site-confined user sees the organization's prices and its own
circuits', not another site's; another organization's prices are not listed."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

PRICE = {
    "starts_at": "2026-12-07T17:00",
    "ends_at": "2026-12-07T21:00",
    "price_per_kwh": "0.42",
    "circuit_id": "",
}


async def test_an_operator_adds_and_deletes_prices_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    hall = (await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 22})).json()
    theirs = {"starts_at": "2026-12-07T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z"}
    await other_tenant.api.post("/energy-prices", json=[theirs | {"price_per_kwh": "9.99"}])
    async with browser_client(tenant, operator) as client:
        page = await client.get("/energy-prices")
        csrf = hidden(page.text, "csrf_token")
        made = await client.post(
            "/energy-prices",
            data={"csrf_token": csrf, **PRICE, "starts_at": "2026-12-07T17:00:00.000Z"},
        )
        own = await client.post(
            "/energy-prices",
            data={"csrf_token": csrf, **PRICE, "circuit_id": hall["id"], "price_per_kwh": "0.1"},
        )
        broken = await client.post(
            "/energy-prices", data={"csrf_token": csrf, **PRICE, "price_per_kwh": "cheap"}
        )
        backwards = await client.post(
            "/energy-prices",
            data={"csrf_token": csrf, **PRICE, "ends_at": "2026-12-07T16:00:00.000Z"},
        )
        listed = await client.get("/energy-prices")
        prices = (await tenant.api.get("/energy-prices")).json()["items"]
        organization_wide = next(p for p in prices if p["circuit_id"] is None)
        deleted = await client.post(
            f"/energy-prices/{organization_wide['id']}/delete", data={"csrf_token": csrf}
        )
        gone = await client.post(
            f"/energy-prices/{organization_wide['id']}/delete", data={"csrf_token": csrf}
        )

    assert page.status_code == 200 and 'id="price-new"' in page.text
    assert made.status_code == 303 and own.status_code == 303
    assert organization_wide["starts_at"] == "2026-12-07T17:00:00Z"
    assert organization_wide["price_per_kwh"] == "0.420000"
    assert broken.status_code == 422 and 'id="new-price_per_kwh-error"' in broken.text
    assert 'value="cheap"' in broken.text and 'data-instant="2026-12-07T17:00Z"' in broken.text
    assert backwards.status_code == 422 and 'id="new-ends_at-error"' in backwards.text
    assert "ends_at must be after starts_at" in backwards.text
    assert 'value="2026-12-07T16:00"' in backwards.text  # the end as sent, in UTC for the control
    assert listed.text.count('id="price-') == 3  # two rows and the form
    assert "0.42" in listed.text and ">Hall</a>" in listed.text and "9.99" not in listed.text
    assert deleted.status_code == 303 and gone.status_code == 404
    assert [p["circuit_id"] for p in (await tenant.api.get("/energy-prices")).json()["items"]] == [
        hall["id"]
    ]


async def test_viewers_and_site_confined_users_read_only_their_prices(tenant: Tenant) -> None:
    north = (await tenant.api.post("/locations", json={"name": "North"})).json()
    south = (await tenant.api.post("/locations", json={"name": "South"})).json()
    circuits = {}
    for site in (north, south):
        body = {"name": f"{site['name']} main", "max_power_kw": 50, "location_id": site["id"]}
        circuits[site["name"]] = (await tenant.api.post("/circuits", json=body)).json()["id"]
    window = {"starts_at": "2026-12-07T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z"}
    made = await tenant.api.post(
        "/energy-prices",
        json=[
            window | {"price_per_kwh": "0.30"},
            window | {"price_per_kwh": "0.21", "circuit_id": circuits["North"]},
            window | {"price_per_kwh": "0.17", "circuit_id": circuits["South"]},
        ],
    )
    price = made.json()[0]["id"]
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [north["id"]]})
    seen = {}
    for name, user in (("viewer", viewer), ("confined", confined)):
        async with browser_client(tenant, user) as client:
            listing = await client.get("/energy-prices")
            csrf = hidden(listing.text, "csrf_token")
            added = await client.post("/energy-prices", data={"csrf_token": csrf, **PRICE})
            deleted = await client.post(f"/energy-prices/{price}/delete", data={"csrf_token": csrf})
        assert listing.status_code == 200 and 'id="price-new"' not in listing.text
        assert "Delete the price" not in listing.text
        assert (added.status_code, deleted.status_code) == (403, 403)
        seen[name] = listing.text
    assert all(p in seen["viewer"] for p in ("0.3", "0.21", "0.17"))
    assert "0.3" in seen["confined"] and "0.21" in seen["confined"]
    assert "0.17" not in seen["confined"] and "South main" not in seen["confined"]
    assert (await tenant.api.get("/energy-prices")).json()["total"] == 3
