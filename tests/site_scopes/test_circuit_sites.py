"""Circuits placed at a site (`location_id`): a site-scoped operator sees them, and hangs its
stations on them, before any station hangs there; another site's, or an unplaced empty one,
stay "not found" (docs/access.md, *Circuits*)."""

from tests.api.factories import created
from tests.conftest import Tenant
from tests.site_scopes.conftest import Estate


async def test_a_site_operator_hangs_its_station_on_its_sites_new_feeder(estate: Estate) -> None:
    api = estate.admin.api

    async def circuit(name: str, **fields: str) -> str:
        return str((await created(api, "/circuits", {"name": name} | fields))["id"])

    feeder = await circuit("Mine new feeder", location_id=estate.mine.location_id)
    bay = await circuit("Mine new bay", parent_id=feeder)  # belongs where its feeder does
    child_feeder = await circuit("Mine car park feeder", location_id=estate.mine.child_id)
    theirs = await circuit("Theirs new feeder", location_id=estate.theirs.location_id)
    loose = await circuit("Unplaced feeder")

    listed = await estate.scoped.get("/circuits", params={"limit": 1000})
    seen = {c["id"]: c for c in listed.json()["items"]}
    assert set(seen) == {feeder, bay, child_feeder}
    assert seen[feeder]["location_id"] == estate.mine.location_id
    for hidden in (theirs, loose):
        assert (await estate.scoped.get(f"/circuits/{hidden}")).status_code == 404

    station = f"/stations/{estate.mine.station_id}"
    for refused in (theirs, loose):
        answer = await estate.scoped.patch(station, json={"circuit_id": refused})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
    hung = await estate.scoped.patch(station, json={"circuit_id": bay})
    assert hung.status_code == 200, hung.text
    assert hung.json()["circuit_id"] == bay
    # Still its own once the station hangs there; another site's station on it hides it.
    assert (await estate.scoped.get(f"/circuits/{feeder}")).status_code == 200
    shared = await api.patch(f"/stations/{estate.theirs.station_id}", json={"circuit_id": feeder})
    assert shared.status_code == 200, shared.text
    assert (await estate.scoped.get(f"/circuits/{feeder}")).status_code == 404
    assert (await estate.scoped.get(f"/circuits/{bay}")).status_code == 200
    # Placing circuits stays the whole organization's business.
    made = await estate.scoped.post(
        "/circuits", json={"name": "Mine too", "location_id": estate.mine.location_id}
    )
    assert made.status_code == 403


async def test_a_circuit_is_placed_only_at_a_location_of_the_organization(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    api = tenant.api
    foreign = await created(other_tenant.api, "/locations", {"name": "Elsewhere"})
    for location_id in ("nope", foreign["id"], "\U0001f50c"):
        answer = await api.post("/circuits", json={"name": "Feeder", "location_id": location_id})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
    site = await created(api, "/locations", {"name": "Depot"})
    made = await created(api, "/circuits", {"name": "Feeder"})
    etag = (await api.get(f"/circuits/{made['id']}")).headers["etag"]
    placed = await api.patch(
        f"/circuits/{made['id']}", json={"location_id": site["id"]}, headers={"If-Match": etag}
    )
    assert placed.status_code == 200 and placed.json()["location_id"] == site["id"]
    stale = await api.patch(
        f"/circuits/{made['id']}", json={"location_id": None}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    # Deleting the location leaves the circuit unplaced.
    assert (await api.delete(f"/locations/{site['id']}")).status_code == 204
    assert (await api.get(f"/circuits/{made['id']}")).json()["location_id"] is None
