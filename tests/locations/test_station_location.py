"""A station may only be placed at a location of its own organization (422 otherwise)."""

from tests.api.factories import created
from tests.conftest import Tenant


async def test_station_location_must_be_the_organizations(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign = await created(other_tenant.api, "/locations", {"name": "Theirs"})
    station_id = tenant.unique("CP")
    refused = await tenant.api.post(
        "/stations", json={"id": station_id, "location_id": foreign["id"]}
    )
    assert refused.status_code == 422
    assert "location_id" in refused.json()["detail"]
    assert (await tenant.api.get(f"/stations/{station_id}")).status_code == 404

    mine = await created(tenant.api, "/locations", {"name": "Mine"})
    station = await created(tenant.api, "/stations", {"id": station_id, "location_id": mine["id"]})
    assert station["location_id"] == mine["id"]

    patched = await tenant.api.patch(f"/stations/{station_id}", json={"location_id": foreign["id"]})
    assert patched.status_code == 422
    assert (await tenant.api.get(f"/stations/{station_id}")).json()["location_id"] == mine["id"]
    listed = (await tenant.api.get("/stations", params={"location_id": mine["id"]})).json()
    assert [s["id"] for s in listed["items"]] == [station_id]
