"""The tag groups pages: groups and members as `/api/v1/tag-groups` has them, created, renamed,
filled, emptied and deleted by operators through the REST API's rules; viewers read only."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def new_tag(tenant: Tenant, prefix: str) -> str:
    value = tenant.unique(prefix)
    made = await tenant.api.post("/id-tags", json={"value": value})
    assert made.status_code == 201, made.text
    return value


async def test_viewers_read_groups_and_may_not_change_them(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    tag = await new_tag(tenant, "FLEET")
    name = tenant.unique("Fleet")
    group = await tenant.api.post("/tag-groups", json={"name": name, "id_tags": [tag]})
    assert group.status_code == 201, group.text
    foreign = await other_tenant.api.post("/tag-groups", json={"name": "Theirs"})
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/tag-groups")
        by_name = await client.get("/tag-groups", params={"q": name})
        none = await client.get("/tag-groups", params={"q": "nobody"})
        page = await client.get(f"/tag-groups/{group.json()['id']}")
        theirs = await client.get(f"/tag-groups/{foreign.json()['id']}")
        csrf = hidden(listing.text, "csrf_token")
        create = await client.post("/tag-groups", data={"csrf_token": csrf, "name": "Mine"})
        add = await client.post(
            f"/tag-groups/{group.json()['id']}/members", data={"csrf_token": csrf, "id_tag": tag}
        )
        delete = await client.post(
            f"/tag-groups/{group.json()['id']}/delete", data={"csrf_token": csrf}
        )
    assert listing.status_code == 200 and name in listing.text and "Theirs" not in listing.text
    assert "1 group," in by_name.text and "0 groups" in none.text
    assert page.status_code == 200 and tag in page.text and theirs.status_code == 404
    assert 'id="tag-group-new"' not in listing.text and "Add member" not in page.text
    assert (create.status_code, add.status_code, delete.status_code) == (403, 403, 403)


async def test_an_operator_builds_a_group_by_the_rest_rules(tenant: Tenant) -> None:
    first, second = await new_tag(tenant, "A"), await new_tag(tenant, "B")
    operator = await make_user(tenant, "operator")
    name = tenant.unique("Staff")
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/tag-groups")).text, "csrf_token")
        unknown = await client.post(
            "/tag-groups", data={"csrf_token": csrf, "name": name, "id_tags": "NOPE-1"}
        )
        nameless = await client.post("/tag-groups", data={"csrf_token": csrf, "name": " "})
        made = await client.post(
            "/tag-groups", data={"csrf_token": csrf, "name": name, "id_tags": f"{first},"}
        )
        taken = await client.post("/tag-groups", data={"csrf_token": csrf, "name": name})
        group_url = made.headers["location"]
        group_id = group_url.rsplit("/", 1)[1]
        page = await client.get(group_url)
        added = await client.post(
            f"{group_url}/members", data={"csrf_token": csrf, "id_tag": second}
        )
        not_a_tag = await client.post(
            f"{group_url}/members", data={"csrf_token": csrf, "id_tag": "NOPE-2"}
        )
        removed = await client.post(
            f"{group_url}/members/remove", data={"csrf_token": csrf, "id_tag": first}
        )
        not_member = await client.post(
            f"{group_url}/members/remove", data={"csrf_token": csrf, "id_tag": first}
        )
        revision = hidden((await client.get(group_url)).text, "revision")
        renamed = await client.post(
            group_url,
            data={"csrf_token": csrf, "revision": revision, "name": f"{name}+", "description": "x"},
        )
        stale = await client.post(
            group_url, data={"csrf_token": csrf, "revision": revision, "name": "again"}
        )
        stored = (await tenant.api.get(f"/tag-groups/{group_id}")).json()
        deleted = await client.post(f"{group_url}/delete", data={"csrf_token": csrf})
    assert unknown.status_code == 422 and "NOPE-1" in unknown.text
    assert nameless.status_code == 422 and taken.status_code == 409
    # A refused group comes back as sent, each refusal beside its field.
    assert 'id="new-group-id_tags-error"' in unknown.text and "NOPE-1</textarea>" in unknown.text
    assert (
        'id="new-group-name-error"' in nameless.text and 'id="new-group-name-error"' in taken.text
    )
    assert made.status_code == 303 and first in page.text
    assert added.status_code == 303 and not_a_tag.status_code == 422
    assert removed.status_code == 303 and not_member.status_code == 404
    # a refused row button comes back as the group's page with the refusal above it
    assert 'id="refusal"' in not_a_tag.text and "NOPE-2" in not_a_tag.text
    assert 'id="refusal"' in not_member.text and "is not in tag group" in not_member.text
    assert name in not_member.text and 'id="refusal"' not in page.text
    assert renamed.status_code == 303 and stale.status_code == 412
    # a refused edit comes back on the group's page as sent, the refusal beside the name
    assert 'id="edit-name-error"' in stale.text and "changed since" in stale.text
    assert 'value="again"' in stale.text and f'name="revision" value="{revision}"' in stale.text
    assert stored["name"] == f"{name}+" and stored["description"] == "x"
    assert stored["id_tags"] == [second]
    assert deleted.status_code == 303
    assert (await tenant.api.get(f"/tag-groups/{group_id}")).status_code == 404
