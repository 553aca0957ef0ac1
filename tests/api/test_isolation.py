"""Tenant isolation: another organization's objects answer 404 and never appear in lists."""

import pytest

from tests.api.factories import RESOURCES, USER_PASSWORD, charged_station, create, logged
from tests.conftest import Tenant
from tests.support.http import http_client


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_another_organizations_object_is_not_found(
    resource: str, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await create(tenant, resource)
    path = f"/{resource}/{mine['id']}"
    patch = RESOURCES[resource][1](other_tenant)
    put = RESOURCES[resource][2](other_tenant)
    assert (await other_tenant.api.get(path)).status_code == 404
    assert (await other_tenant.api.patch(path, json=patch)).status_code == 404
    assert (
        await other_tenant.api.put(path, json=put, headers={"If-Match": "*"})
    ).status_code == 404
    assert (await other_tenant.api.delete(path)).status_code == 404
    listed = (await other_tenant.api.get(f"/{resource}", params={"limit": 1000})).json()
    assert mine["id"] not in {item["id"] for item in listed["items"]}
    # ...and the owner still has it, unchanged.
    assert (await tenant.api.get(path)).json() == mine


async def test_another_organizations_location_tree_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    site = await create(tenant, "locations")
    assert (await other_tenant.api.get(f"/locations/{site['id']}/tree")).status_code == 404
    filtered = (await other_tenant.api.get("/locations", params={"parent_id": site["id"]})).json()
    assert filtered["total"] == 0


async def test_transactions_and_message_log_are_isolated(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id, tx_id = await charged_station(tenant)
    assert (await tenant.api.get(f"/transactions/{tx_id}")).status_code == 200
    assert (await other_tenant.api.get(f"/transactions/{tx_id}")).status_code == 404
    assert (await other_tenant.api.get(f"/transactions/{tx_id}/meter-values")).status_code == 404
    theirs = (await other_tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert theirs["total"] == 0
    assert tx_id not in {
        t["id"] for t in (await other_tenant.api.get("/transactions")).json()["items"]
    }
    assert (await other_tenant.api.get(f"/stations/{station_id}/status-history")).status_code == 404

    mine = await logged(tenant.api, {"station_id": station_id}, at_least=6)
    assert {f["station_id"] for f in mine["items"]} == {station_id}
    theirs = (await other_tenant.api.get("/message-log", params={"station_id": station_id})).json()
    assert theirs["total"] == 0
    everything = (await other_tenant.api.get("/message-log", params={"limit": 1000})).json()
    assert station_id not in {f["station_id"] for f in everything["items"]}


async def test_a_user_cannot_reach_another_organization(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    """Basic credentials are scoped like tokens: the user sees only its own organization."""
    user = await create(tenant, "users")
    theirs = await create(other_tenant, "locations")
    auth = (user["email"], USER_PASSWORD)
    async with http_client(base_url=str(tenant.api.base_url), auth=auth) as api:
        assert (await api.get("/organization")).json()["id"] == tenant.organization_id
        assert (await api.get(f"/locations/{theirs['id']}")).status_code == 404
