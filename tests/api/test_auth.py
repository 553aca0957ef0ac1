"""Who may call: no or bad credentials are 401, a role too low is 403."""

import base64

import pytest

from tests.api.factories import RESOURCES, client_as, create
from tests.conftest import Tenant
from tests.support.http import http_client

READABLE = ["/stations", "/id-tags", "/transactions", "/locations", "/message-log", "/organization"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer cy_not-a-real-token"},
        {"Authorization": "Basic !!!not-base64"},
        {
            "Authorization": "Basic "
            + base64.b64encode(b"nobody@example.com:wrong-password").decode()
        },
        {"Authorization": "Digest whatever"},
    ],
    ids=["none", "unknown-token", "malformed-basic", "wrong-basic", "other-scheme"],
)
async def test_missing_or_bad_credentials_are_401(headers: dict[str, str], tenant: Tenant) -> None:
    async with http_client(base_url=str(tenant.api.base_url), headers=headers) as api:
        for path in READABLE:
            answer = await api.get(path)
            assert answer.status_code == 401, path
            assert answer.headers["content-type"] == "application/problem+json"
            assert "Bearer" in answer.headers["WWW-Authenticate"]


@pytest.mark.parametrize("resource", ["stations", "id-tags", "locations"])
async def test_a_viewer_reads_but_cannot_write(resource: str, tenant: Tenant) -> None:
    item = await create(tenant, resource)
    path = f"/{resource}/{item['id']}"
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get(f"/{resource}")).status_code == 200
        assert (await viewer.get(path)).status_code == 200
        refused = await viewer.post(f"/{resource}", json=RESOURCES[resource][0](tenant))
        assert refused.status_code == 403
        assert "operator" in refused.json()["detail"]
        assert (await viewer.patch(path, json=RESOURCES[resource][1](tenant))).status_code == 403
        assert (await viewer.delete(path)).status_code == 403
    assert (await tenant.api.get(path)).json() == item


async def test_an_operator_writes_but_does_not_administer(tenant: Tenant) -> None:
    async with client_as(tenant, "operator") as operator:
        assert (await operator.post("/locations", json={"name": "ok"})).status_code == 201
        for path in ("/users", "/tokens"):
            assert (await operator.get(path)).status_code == 403
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get("/message-log")).status_code == 200
        assert (await viewer.post("/tokens", json={"role": "admin"})).status_code == 403
