"""GET /api/v1/organization: the caller's own organization, whatever its role."""

from tests.api.factories import client_as
from tests.conftest import Tenant


async def test_the_caller_sees_its_own_organization(tenant: Tenant, other_tenant: Tenant) -> None:
    answer = await tenant.api.get("/organization")
    assert answer.status_code == 200
    assert answer.json()["id"] == tenant.organization_id
    assert answer.json()["name"] == tenant.name
    assert answer.headers["ETag"].startswith(f'"{tenant.organization_id}.')
    other = (await other_tenant.api.get("/organization")).json()
    assert other["id"] == other_tenant.organization_id != tenant.organization_id


async def test_a_viewer_may_read_it(tenant: Tenant) -> None:
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get("/organization")).json()["id"] == tenant.organization_id
