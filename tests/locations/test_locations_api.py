"""/api/v1/locations end to end: CRUD, the site tree, its rules, and the events recorded."""

from typing import Any

from sqlalchemy import select

from chargeyard.events.models import Event
from chargeyard.storage.database import Database
from tests.api.factories import created
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD


async def location(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    return await created(tenant.api, "/locations", {"name": tenant.unique("Site"), **fields})


async def test_create_and_read_a_location(tenant: Tenant) -> None:
    answer = await tenant.api.post(
        "/locations",
        json={
            "name": "Depot North",
            "address": "Hafenstr. 1",
            "city": "Hamburg",
            "postal_code": "20457",
            "country": "DE",
            "latitude": 53.5412346,
            "longitude": 9.98,
            "timezone": "Europe/Berlin",
        },
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert answer.headers["Location"] == f"/api/v1/locations/{body['id']}"
    assert body["latitude"] == 53.541235  # kept to six decimals, shown as a number
    assert body["longitude"] == 9.98
    assert body["timezone"] == "Europe/Berlin" and body["parent_id"] is None
    fetched = await tenant.api.get(f"/locations/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["ETag"] == answer.headers["ETag"]


async def test_defaults_and_field_rules(tenant: Tenant) -> None:
    body = await location(tenant)
    assert body["timezone"] == "UTC" and body["country"] is None
    for bad in ({"timezone": "Mars/Base"}, {"country": "de"}, {"latitude": 91}, {"name": ""}):
        answer = await tenant.api.post("/locations", json={"name": "x", **bad})
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    cleared = await tenant.api.patch(f"/locations/{body['id']}", json={"name": None})
    assert cleared.status_code == 422
    assert "name" in cleared.json()["detail"]


async def test_list_filters_by_parent(tenant: Tenant) -> None:
    root = await location(tenant)
    children = [await location(tenant, parent_id=root["id"]) for _ in range(3)]
    await location(tenant)
    listing = (await tenant.api.get("/locations", params={"parent_id": root["id"]})).json()
    assert listing["total"] == 3
    assert sorted(item["id"] for item in listing["items"]) == sorted(c["id"] for c in children)
    everything = (await tenant.api.get("/locations")).json()
    assert everything["total"] == 5


async def test_parent_must_belong_to_the_organization(tenant: Tenant, other_tenant: Tenant) -> None:
    foreign = await location(other_tenant)
    answer = await tenant.api.post("/locations", json={"name": "x", "parent_id": foreign["id"]})
    assert answer.status_code == 422
    assert foreign["id"] in answer.json()["detail"]
    mine = await location(tenant)
    patched = await tenant.api.patch(f"/locations/{mine['id']}", json={"parent_id": foreign["id"]})
    assert patched.status_code == 422
    assert (await tenant.api.get(f"/locations/{mine['id']}")).json()["parent_id"] is None


async def test_the_tree_refuses_cycles(tenant: Tenant) -> None:
    a = await location(tenant)
    b = await location(tenant, parent_id=a["id"])
    c = await location(tenant, parent_id=b["id"])
    for parent in (a, c):
        answer = await tenant.api.patch(f"/locations/{a['id']}", json={"parent_id": parent["id"]})
        assert answer.status_code == 422, answer.text
        assert "descendants" in answer.json()["detail"]
    # Moving a branch elsewhere, and back to the root, is fine.
    moved = await tenant.api.patch(f"/locations/{c['id']}", json={"parent_id": a["id"]})
    assert moved.status_code == 200 and moved.json()["parent_id"] == a["id"]
    rooted = await tenant.api.patch(f"/locations/{b['id']}", json={"parent_id": None})
    assert rooted.status_code == 200 and rooted.json()["parent_id"] is None


async def test_tree_lists_the_subtree_and_its_stations(tenant: Tenant) -> None:
    site = await location(tenant, name="Site")
    hall = await location(tenant, name="Hall", parent_id=site["id"])
    bay = await location(tenant, name="Bay", parent_id=hall["id"])
    yard = await location(tenant, name="Yard", parent_id=site["id"])
    elsewhere = await location(tenant, name="Elsewhere")
    placed = {"CP-hall": hall, "CP-bay-1": bay, "CP-bay-2": bay, "CP-away": elsewhere}
    ids = {}
    for name, where in placed.items():
        ids[name] = tenant.unique(name)
        await created(
            tenant.api,
            "/stations",
            {"id": ids[name], "password": PASSWORD, "location_id": where["id"]},
        )
    tree = (await tenant.api.get(f"/locations/{site['id']}/tree")).json()
    assert tree["id"] == site["id"] and tree["station_ids"] == []
    assert [child["name"] for child in tree["children"]] == ["Hall", "Yard"]
    hall_node, yard_node = tree["children"]
    assert hall_node["station_ids"] == [ids["CP-hall"]]
    assert yard_node == {
        "id": yard["id"],
        "parent_id": site["id"],
        "name": "Yard",
        "station_ids": [],
        "children": [],
    }
    assert hall_node["children"][0]["station_ids"] == sorted([ids["CP-bay-1"], ids["CP-bay-2"]])
    subtree = (await tenant.api.get(f"/locations/{bay['id']}/tree")).json()
    assert subtree["children"] == [] and subtree["parent_id"] == hall["id"]
    assert (await tenant.api.get("/locations/nope/tree")).status_code == 404


async def test_delete_refuses_while_referenced(tenant: Tenant) -> None:
    parent = await location(tenant)
    child = await location(tenant, parent_id=parent["id"])
    station_id = tenant.unique("CP")
    await created(tenant.api, "/stations", {"id": station_id, "location_id": child["id"]})

    refused = await tenant.api.delete(f"/locations/{parent['id']}")
    assert refused.status_code == 409
    assert "1 child location" in refused.json()["detail"]
    refused = await tenant.api.delete(f"/locations/{child['id']}")
    assert refused.status_code == 409
    assert "1 station" in refused.json()["detail"]

    moved = await tenant.api.patch(f"/stations/{station_id}", json={"location_id": None})
    assert moved.status_code == 200
    assert (await tenant.api.delete(f"/locations/{child['id']}")).status_code == 204
    assert (await tenant.api.delete(f"/locations/{parent['id']}")).status_code == 204
    assert (await tenant.api.get(f"/locations/{parent['id']}")).status_code == 404


async def test_changes_are_recorded_as_events(tenant: Tenant) -> None:
    body = await location(tenant)
    await tenant.api.patch(f"/locations/{body['id']}", json={"city": "Bremen"})
    assert (await tenant.api.delete(f"/locations/{body['id']}")).status_code == 204
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.reading() as uow:
            events = (
                await uow.session.scalars(
                    select(Event)
                    .where(Event.organization_id == tenant.organization_id)
                    .where(Event.type.like("location.%"))
                    .order_by(Event.seq)
                )
            ).all()
    finally:
        await db.dispose()
    assert [e.type for e in events] == ["location.created", "location.updated", "location.deleted"]
    assert all(e.data["location_id"] == body["id"] for e in events)
    assert events[1].data["changed"] == ["city"]
