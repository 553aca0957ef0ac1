"""/api/v1/tag-groups: groups as resources, a tag in several groups, members by tag value."""

from tests.conftest import Tenant
from tests.permissions.test_authorization import created, tag


async def test_groups_and_their_members(tenant: Tenant, other_tenant: Tenant) -> None:
    a, b = await tag(tenant), await tag(tenant)
    fleet = await created(tenant, "/tag-groups", {"name": tenant.unique("fleet"), "id_tags": [a]})
    staff = await created(
        tenant, "/tag-groups", {"name": tenant.unique("staff"), "id_tags": [a, b]}
    )
    assert fleet["id_tags"] == [a] and staff["id_tags"] == sorted([a, b])
    duplicate = await tenant.api.post("/tag-groups", json={"name": fleet["name"]})
    assert duplicate.status_code == 409
    unknown = await tenant.api.post("/tag-groups", json={"name": "x", "id_tags": ["NOPE"]})
    assert unknown.status_code == 422

    added = await tenant.api.post(f"/tag-groups/{fleet['id']}/members", json={"id_tag": b})
    assert added.status_code == 200 and added.json()["id_tags"] == sorted([a, b])
    removed = await tenant.api.delete(f"/tag-groups/{fleet['id']}/members/{a}")
    assert removed.status_code == 204
    assert (await tenant.api.get(f"/tag-groups/{fleet['id']}")).json()["id_tags"] == [b]
    replaced = await tenant.api.patch(f"/tag-groups/{staff['id']}", json={"id_tags": [b]})
    assert replaced.json()["id_tags"] == [b]

    listed = (await tenant.api.get("/tag-groups")).json()
    assert {g["id"] for g in listed["items"]} == {fleet["id"], staff["id"]}
    assert (await other_tenant.api.get(f"/tag-groups/{fleet['id']}")).status_code == 404
    foreign = await other_tenant.api.post("/tag-groups", json={"name": "g", "id_tags": [a]})
    assert foreign.status_code == 422
    assert (await tenant.api.delete(f"/tag-groups/{fleet['id']}")).status_code == 204
    assert (await tenant.api.get(f"/tag-groups/{fleet['id']}")).status_code == 404


async def test_members_with_any_characters_are_named_by_value(tenant: Tenant) -> None:
    """ID tag values are free text: a '/', a space, accents or an emoji name a member too."""
    values = [tenant.unique(prefix) for prefix in ("A/B", "a b", "\u00c4\u00d6", "\U0001f50c")]
    for value in values:
        assert (await tenant.api.post("/id-tags", json={"value": value})).status_code == 201
    group = await created(tenant, "/tag-groups", {"name": tenant.unique("odd"), "id_tags": values})
    for value in values:
        removed = await tenant.api.delete(f"/tag-groups/{group['id']}/members/{value}")
        assert removed.status_code == 204, (value, removed.text)
    assert (await tenant.api.get(f"/tag-groups/{group['id']}")).json()["id_tags"] == []
    missing = await tenant.api.delete(f"/tag-groups/{group['id']}/members/x/y")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
