"""Two changes naming one ETag, the second sent while the first is inside its unit of work:
exactly one goes through (api/dependencies.py: to_change locks the row before the check).

On PostgreSQL (CHARGEYARD_TEST_POSTGRES_URL) the second waits on the row lock, then sees the
first's revision; without the lock both would pass their check. On SQLite the single writer
serialises them anyway, and the same test holds."""

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.api.factories import RESOURCES, create, created
from tests.conftest import Tenant
from tests.support.contention import DEADLINE_S, held_writes

# For each resource: how to make one (its path), and a PATCH body that differs with `n`.
Made = Callable[[Tenant], Any]


async def _permission(tenant: Tenant) -> str:
    tag = (await created(tenant.api, "/id-tags", {"value": tenant.unique("TAG")}))["value"]
    site = (await created(tenant.api, "/locations", {"name": tenant.unique("Site")}))["id"]
    made = await created(tenant.api, "/permissions", {"id_tag": tag, "location_id": site})
    return f"/permissions/{made['id']}"


async def _circuit(tenant: Tenant) -> str:
    made = await created(tenant.api, "/circuits", {"name": tenant.unique("Feeder")})
    return f"/circuits/{made['id']}"


def _listed(resource: str) -> Made:
    async def make(tenant: Tenant) -> str:
        return f"/{resource}/{(await create(tenant, resource))['id']}"

    return make


CHANGES: dict[str, tuple[Made, str, Callable[[int], object]]] = {
    "stations": (_listed("stations"), "name", lambda n: f"Bay {n}"),
    "id-tags": (_listed("id-tags"), "description", lambda n: f"card {n}"),
    "locations": (_listed("locations"), "city", lambda n: f"City {n}"),
    "tag-groups": (_listed("tag-groups"), "description", lambda n: f"fleet {n}"),
    "hardware-templates": (_listed("hardware-templates"), "name", lambda n: f"Twin {n}"),
    "users": (_listed("users"), "name", lambda n: f"Name {n}"),
    "permissions": (_permission, "valid_until", lambda n: f"204{n}-01-01T00:00:00Z"),
    "circuits": (_circuit, "name", lambda n: f"Feeder {n}"),
    "vehicles": (_listed("vehicles"), "soc_percent", lambda n: 10.0 * n),
}
assert set(RESOURCES) <= set(CHANGES)


async def _race(
    tenant: Tenant, first: tuple[str, Any], second: tuple[str, Any], path: str
) -> tuple[httpx.Response, httpx.Response]:
    """Send `first` (method, body), hold it before its commit, send `second` and let the first
    go once the second waits for it; both name the ETag read before."""
    etag = (await tenant.api.get(path)).headers["ETag"]
    headers = {"If-Match": etag}

    def send(method: str, body: Any) -> "asyncio.Task[httpx.Response]":
        call = tenant.api.request(method, path, json=body, headers=headers)
        return asyncio.ensure_future(call)

    async with held_writes(tenant.server) as gate:
        one = send(*first)
        await gate.holding_first()
        two = send(*second)
        await gate.second_waiting()
        gate.release_first()
        async with asyncio.timeout(DEADLINE_S):
            return await one, await two


@pytest.mark.parametrize("resource", sorted(CHANGES))
async def test_two_patches_with_one_etag_let_exactly_one_through(
    resource: str, tenant: Tenant
) -> None:
    make, field, value = CHANGES[resource]
    path = await make(tenant)
    one, two = await _race(tenant, ("PATCH", {field: value(1)}), ("PATCH", {field: value(2)}), path)
    assert (one.status_code, two.status_code) == (200, 412), (one.text, two.text)
    assert two.headers["content-type"] == "application/problem+json"
    current = await tenant.api.get(path)
    assert current.json()[field] == one.json()[field]
    assert current.headers["ETag"] == one.headers["ETag"]
    assert current.headers["ETag"] in two.json()["detail"]


@pytest.mark.parametrize("resource", sorted(CHANGES))
async def test_a_removal_with_a_stale_etag_waits_and_is_refused(
    resource: str, tenant: Tenant
) -> None:
    make, field, value = CHANGES[resource]
    path = await make(tenant)
    one, two = await _race(tenant, ("PATCH", {field: value(1)}), ("DELETE", None), path)
    assert (one.status_code, two.status_code) == (200, 412), (one.text, two.text)
    assert (await tenant.api.get(path)).status_code == 200


@pytest.mark.parametrize("resource", ["tag-groups", "locations", "permissions", "vehicles"])
async def test_a_change_after_a_removal_it_waited_for_finds_nothing(
    resource: str, tenant: Tenant
) -> None:
    make, field, value = CHANGES[resource]
    path = await make(tenant)
    one, two = await _race(tenant, ("DELETE", None), ("PATCH", {field: value(2)}), path)
    assert (one.status_code, two.status_code) == (204, 404), (one.text, two.text)


async def test_a_removal_honours_if_match(tenant: Tenant) -> None:
    path = await _listed("tag-groups")(tenant)
    old = (await tenant.api.get(path)).headers["ETag"]
    await tenant.api.patch(path, json={"description": "changed"})
    stale = await tenant.api.delete(path, headers={"If-Match": old})
    assert stale.status_code == 412
    current = (await tenant.api.get(path)).headers["ETag"]
    assert (await tenant.api.delete(path, headers={"If-Match": current})).status_code == 204
