"""Lists: pagination totals and `updated_since`, the same for every resource."""

import asyncio
from datetime import datetime

import pytest

from tests.api.factories import RESOURCES, create
from tests.conftest import Tenant

STRICT_QUERY = {"stations", "locations", "tag-groups", "hardware-templates", "users"}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_pagination_totals(resource: str, tenant: Tenant) -> None:
    ids = {(await create(tenant, resource))["id"] for _ in range(5)}
    seen: list[str] = []
    for offset in (0, 2, 4):
        page = (await tenant.api.get(f"/{resource}", params={"offset": offset, "limit": 2})).json()
        assert page["total"] == 5 and page["offset"] == offset and page["limit"] == 2
        assert len(page["items"]) == (2 if offset < 4 else 1)
        seen += [item["id"] for item in page["items"]]
    assert sorted(seen) == sorted(ids)  # pages neither overlap nor skip
    # Lists with a strict query string (api/query.py) answer a malformed parameter with 400.
    malformed = 400 if resource in STRICT_QUERY else 422
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        assert (await tenant.api.get(f"/{resource}", params=bad)).status_code == malformed


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_updated_since(resource: str, tenant: Tenant) -> None:
    older = await create(tenant, resource)
    newer = await create(tenant, resource)
    await asyncio.sleep(0.01)
    cutoff = datetime.fromisoformat(
        (await tenant.api.get(f"/{resource}/{newer['id']}")).json()["updated_at"]
    )
    await asyncio.sleep(0.01)
    await tenant.api.patch(f"/{resource}/{older['id']}", json=RESOURCES[resource][1](tenant))
    changed = (
        await tenant.api.get(f"/{resource}", params={"updated_since": cutoff.isoformat()})
    ).json()
    assert [item["id"] for item in changed["items"]] == [older["id"]]
    assert changed["total"] == 1


@pytest.mark.parametrize(
    "path", ["/permissions", "/users", "/circuits", "/locations", "/tag-groups"]
)
async def test_estate_lists_refuse_a_misspelt_filter(path: str, tenant: Tenant) -> None:
    """A misspelt filter would answer the whole list as if it had filtered (docs/estate.md)."""
    for params in ({"location": "x"}, {"offset": 10**20}, {"limit": "many"}):
        answer = await tenant.api.get(path, params=params)
        assert answer.status_code == 400, (params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    assert (await tenant.api.get(path, params={"limit": 1000})).status_code == 200
