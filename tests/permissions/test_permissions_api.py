"""/api/v1/permissions: shape rules, references within the organization, listing and editing."""

from tests.conftest import Tenant
from tests.permissions.test_authorization import created, tag


async def test_a_permission_names_one_holder_and_one_place(tenant: Tenant) -> None:
    value = await tag(tenant)
    site = (await created(tenant, "/locations", {"name": tenant.unique("Site")}))["id"]
    group = (await created(tenant, "/tag-groups", {"name": tenant.unique("g")}))["id"]
    for body in (
        {"location_id": site},
        {"id_tag": value},
        {"id_tag": value, "tag_group_id": group, "location_id": site},
        {"id_tag": value, "location_id": site, "station_id": "CP-x"},
        {"id_tag": value, "location_id": site, "daily_from": "08:00:00"},
        {"id_tag": "NO-SUCH-TAG", "location_id": site},
        {"id_tag": value, "location_id": "no-such-location"},
        {
            "id_tag": value,
            "location_id": site,
            "valid_from": "2030-01-01T00:00:00Z",
            "valid_until": "2029-01-01T00:00:00Z",
        },
    ):
        answer = await tenant.api.post("/permissions", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


async def test_permissions_are_listed_changed_and_removed(tenant: Tenant) -> None:
    value = await tag(tenant)
    site = (await created(tenant, "/locations", {"name": tenant.unique("Site")}))["id"]
    made = await created(
        tenant,
        "/permissions",
        {"id_tag": value, "location_id": site, "daily_from": "22:00", "daily_until": "06:00"},
    )
    assert (made["id_tag"], made["location_id"], made["daily_from"]) == (value, site, "22:00:00")
    listed = (await tenant.api.get("/permissions", params={"id_tag": value})).json()
    assert [p["id"] for p in listed["items"]] == [made["id"]]
    assert (await tenant.api.get("/permissions", params={"id_tag": "nobody"})).json()["total"] == 0
    patched = await tenant.api.patch(
        f"/permissions/{made['id']}", json={"description": "night shift"}
    )
    assert patched.status_code == 200 and patched.json()["description"] == "night shift"
    assert (await tenant.api.delete(f"/permissions/{made['id']}")).status_code == 204
    assert (await tenant.api.get(f"/permissions/{made['id']}")).status_code == 404


async def test_another_organizations_objects_cannot_be_named(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await tag(other_tenant)
    their_site = (await created(other_tenant, "/locations", {"name": "Theirs"}))["id"]
    mine = await tag(tenant)
    my_site = (await created(tenant, "/locations", {"name": tenant.unique("Mine")}))["id"]
    for body in (
        {"id_tag": theirs, "location_id": my_site},
        {"id_tag": mine, "location_id": their_site},
    ):
        assert (await tenant.api.post("/permissions", json=body)).status_code == 422
    made = await created(tenant, "/permissions", {"id_tag": mine, "location_id": my_site})
    assert (await other_tenant.api.get(f"/permissions/{made['id']}")).status_code == 404
    assert (await other_tenant.api.get("/permissions")).json()["total"] == 0
