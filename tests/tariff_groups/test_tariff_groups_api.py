"""/api/v1/tariff-groups: CRUD, and the group's tariff for its members' sessions where it applies."""

from typing import Any

from tests.api.factories import client_as
from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, run_session

FLAT_2 = [{"price_components": [{"type": "FLAT", "price": "2.00"}]}]


async def create_group(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": tenant.unique("G"), "tariff_id": await create_tariff(tenant)} | fields
    response = await tenant.api.post("/tariff-groups", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def session_tariff(tenant: Tenant, stations: Stations, station_id: str, tag: str) -> str:
    tx_id = await run_session(stations, station_id, tag)
    return str((await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"]["tariff_id"])


async def test_a_group_is_created_read_changed_listed_and_deleted(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    site = (await tenant.api.post("/locations", json={"name": "Depot"})).json()["id"]
    driver = (
        await tenant.api.post(
            "/drivers", json={"name": "Ann", "email": tenant.unique("a") + "@x.io"}
        )
    ).json()["id"]
    group = await create_group(
        tenant,
        name="Staff",
        id_tags=[tag],
        driver_ids=[driver],
        places=[{"kind": "station", "id": station_id}, {"kind": "location", "id": site}],
    )
    assert group["id_tags"] == [tag] and group["driver_ids"] == [driver]
    assert {(p["kind"], p["id"]) for p in group["places"]} == {
        ("station", station_id),
        ("location", site),
    }
    fetched = await tenant.api.get(f"/tariff-groups/{group['id']}")
    assert fetched.json() == group and fetched.headers["etag"]
    changed = await tenant.api.patch(
        f"/tariff-groups/{group['id']}", json={"places": [{"kind": "organization"}], "id_tags": []}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["places"] == [{"kind": "organization", "id": None}]
    assert changed.json()["id_tags"] == [] and changed.json()["driver_ids"] == [driver]
    listed = (await tenant.api.get("/tariff-groups", params={"name": "Staff"})).json()
    assert [g["id"] for g in listed["items"]] == [group["id"]]
    assert (await tenant.api.delete(f"/tariff-groups/{group['id']}")).status_code == 204
    assert (await tenant.api.get(f"/tariff-groups/{group['id']}")).status_code == 404


async def test_bad_groups_are_refused(tenant: Tenant, other_tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    foreign_tariff = await create_tariff(other_tenant)
    foreign_tag = await add_tag(other_tenant)
    for body, code in (
        ({"tariff_id": foreign_tariff}, 422),
        ({"tariff_id": tariff_id, "id_tags": [foreign_tag]}, 422),
        ({"tariff_id": tariff_id, "driver_ids": ["nobody"]}, 422),
        ({"tariff_id": tariff_id, "places": [{"kind": "station"}]}, 422),
        ({"tariff_id": tariff_id, "places": [{"kind": "station", "id": "nowhere"}]}, 422),
        ({"tariff_id": tariff_id, "places": [{"kind": "planet", "id": "x"}]}, 422),
    ):
        response = await tenant.api.post("/tariff-groups", json={"name": "Bad"} | body)
        assert response.status_code == code, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    await create_group(tenant, name="Twice")
    twice = await tenant.api.post("/tariff-groups", json={"name": "Twice", "tariff_id": tariff_id})
    assert twice.status_code == 409


async def test_viewers_read_and_only_operators_change(tenant: Tenant) -> None:
    group = await create_group(tenant)
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get(f"/tariff-groups/{group['id']}")).status_code == 200
        assert (await viewer.get("/tariff-groups")).status_code == 200
        patched = await viewer.patch(f"/tariff-groups/{group['id']}", json={"name": "x"})
        assert patched.status_code == 403
        assert (await viewer.delete(f"/tariff-groups/{group['id']}")).status_code == 403


async def test_a_member_tag_gets_the_group_tariff_where_the_group_applies(
    tenant: Tenant, stations: Stations
) -> None:
    public = await create_tariff(tenant)
    staff_tariff = await create_tariff(tenant, elements=FLAT_2)
    site = (await tenant.api.post("/locations", json={"name": "Depot"})).json()["id"]
    here = await stations.register(location_id=site)
    await tenant.api.patch(f"/stations/{here}", json={"tariff_id": public})
    elsewhere = await priced_station(tenant, stations, public)
    member, stranger = await add_tag(tenant), await add_tag(tenant)
    await create_group(
        tenant,
        tariff_id=staff_tariff,
        id_tags=[member.lower()],  # tags match case-insensitively
        places=[{"kind": "location", "id": site}],
    )
    assert await session_tariff(tenant, stations, here, member) == staff_tariff
    assert await session_tariff(tenant, stations, here, stranger) == public
    assert await session_tariff(tenant, stations, elsewhere, member) == public


async def test_a_driver_member_brings_every_tag_of_the_driver(
    tenant: Tenant, stations: Stations
) -> None:
    public = await create_tariff(tenant, is_default=True)
    fleet_tariff = await create_tariff(tenant, elements=FLAT_2)
    tag = await add_tag(tenant)
    driver = await tenant.api.post(
        "/drivers",
        json={"name": "Fleet van", "email": tenant.unique("f") + "@x.io", "id_tags": [tag]},
    )
    assert driver.status_code == 201, driver.text
    station_id = await stations.register()
    await create_group(
        tenant,
        tariff_id=fleet_tariff,
        driver_ids=[driver.json()["id"]],
        places=[{"kind": "organization"}],
    )
    assert await session_tariff(tenant, stations, station_id, tag) == fleet_tariff
    assert await session_tariff(tenant, stations, station_id, await add_tag(tenant)) == public


async def test_a_group_at_a_station_beats_one_for_the_whole_organization(
    tenant: Tenant, stations: Stations
) -> None:
    tag = await add_tag(tenant)
    station_id = await stations.register()
    wide = await create_group(
        tenant, name="A wide", id_tags=[tag], places=[{"kind": "organization"}]
    )
    near = await create_group(
        tenant, name="B near", id_tags=[tag], places=[{"kind": "station", "id": station_id}]
    )
    assert await session_tariff(tenant, stations, station_id, tag) == near["tariff_id"]
    other_station = await stations.register()
    assert await session_tariff(tenant, stations, other_station, tag) == wide["tariff_id"]


async def test_a_tariff_a_group_uses_cannot_be_deleted(tenant: Tenant) -> None:
    group = await create_group(tenant)
    assert (await tenant.api.delete(f"/tariffs/{group['tariff_id']}")).status_code == 409


async def test_another_organizations_group_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    group = await create_group(tenant)
    path = f"/tariff-groups/{group['id']}"
    assert (await other_tenant.api.get(path)).status_code == 404
    assert (await other_tenant.api.patch(path, json={"name": "Mine"})).status_code == 404
    assert (await other_tenant.api.delete(path)).status_code == 404
    assert (await other_tenant.api.get("/tariff-groups")).json()["items"] == []
    assert (await tenant.api.get(path)).json() == group


async def test_a_prepaid_member_is_held_to_the_groups_tariff_at_authorize(
    tenant: Tenant, stations: Stations
) -> None:
    """The public tariff's minimum is more than the drivers' balance; the group's free tariff
    asks for no more than a positive balance: the member is accepted, as its session would be
    priced by the group, and the outsider is not."""
    public = await create_tariff(tenant, min_price="5.00")
    free = await create_tariff(
        tenant, elements=[{"price_components": [{"type": "FLAT", "price": "0"}]}]
    )
    station_id = await priced_station(tenant, stations, public)
    member, outsider = await add_tag(tenant), await add_tag(tenant)
    for tag in (member, outsider):
        driver = await tenant.api.post(
            "/drivers",
            json={
                "name": "Prepaid",
                "email": tenant.unique("p") + "@x.io",
                "payment_mode": "prepaid",
                "id_tags": [tag],
            },
        )
        assert driver.status_code == 201, driver.text
        topped = await tenant.api.post(
            f"/drivers/{driver.json()['id']}/balance", json={"amount": "1.00", "currency": "EUR"}
        )
        assert topped.status_code == 201, topped.text
    await create_group(tenant, tariff_id=free, id_tags=[member], places=[{"kind": "organization"}])
    async with stations.booted(station_id) as station:
        admitted = await station.ok("Authorize", {"idTag": member})
        refused = await station.ok("Authorize", {"idTag": outsider})
    assert admitted["idTagInfo"]["status"] == "Accepted"
    assert refused["idTagInfo"]["status"] == "Invalid"  # NoCredit, as 1.6 says it
