"""ETags on every read and write; PUT needs If-Match (428 without, 412 when stale)."""

import pytest

from tests.api.factories import RESOURCES, create
from tests.conftest import Tenant

pytestmark = pytest.mark.parametrize("resource", sorted(RESOURCES))


async def test_etag_on_get_post_and_patch(resource: str, tenant: Tenant) -> None:
    answer = await tenant.api.post(f"/{resource}", json=RESOURCES[resource][0](tenant))
    assert answer.status_code == 201
    created_tag = answer.headers["ETag"]
    path = f"/{resource}/{answer.json()['id']}"
    assert (await tenant.api.get(path)).headers["ETag"] == created_tag
    patched = await tenant.api.patch(path, json=RESOURCES[resource][1](tenant))
    assert patched.status_code == 200
    assert patched.headers["ETag"] != created_tag
    assert (await tenant.api.get(path)).headers["ETag"] == patched.headers["ETag"]


async def test_put_needs_the_current_etag(resource: str, tenant: Tenant) -> None:
    item = await create(tenant, resource)
    path = f"/{resource}/{item['id']}"
    body = RESOURCES[resource][2](tenant)
    first_tag = (await tenant.api.get(path)).headers["ETag"]

    missing = await tenant.api.put(path, json=body)
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["detail"]

    await tenant.api.patch(path, json=RESOURCES[resource][1](tenant))
    stale = await tenant.api.put(path, json=body, headers={"If-Match": first_tag})
    assert stale.status_code == 412
    current_tag = (await tenant.api.get(path)).headers["ETag"]
    assert current_tag in stale.json()["detail"]

    replaced = await tenant.api.put(path, json=body, headers={"If-Match": current_tag})
    assert replaced.status_code == 200, replaced.text
    for name, value in body.items():
        assert replaced.json()[name] == (value.lower() if name == "email" else value)
    assert replaced.headers["ETag"] not in (first_tag, current_tag)


async def test_patch_with_a_stale_if_match_is_refused(resource: str, tenant: Tenant) -> None:
    item = await create(tenant, resource)
    path = f"/{resource}/{item['id']}"
    old_tag = (await tenant.api.get(path)).headers["ETag"]
    await tenant.api.patch(path, json=RESOURCES[resource][1](tenant))
    stale = await tenant.api.patch(
        path, json=RESOURCES[resource][1](tenant), headers={"If-Match": old_tag}
    )
    assert stale.status_code == 412


async def test_patch_changes_only_the_given_fields(resource: str, tenant: Tenant) -> None:
    item = await create(tenant, resource)
    change = RESOURCES[resource][1](tenant)
    patched = (await tenant.api.patch(f"/{resource}/{item['id']}", json=change)).json()
    untouched = {"updated_at", *change}
    assert {k: v for k, v in patched.items() if k not in untouched} == {
        k: v for k, v in item.items() if k not in untouched
    }
    assert all(patched[name] == value for name, value in change.items())
