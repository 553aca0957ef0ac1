"""Every error is an RFC 9457 problem document (application/problem+json) with a useful detail."""

from typing import Any

import httpx
import pytest

from tests.api.factories import RESOURCES, create
from tests.conftest import Tenant

PROBLEM = "application/problem+json"


def problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body = dict(answer.json())
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_unknown_field_is_422(resource: str, tenant: Tenant) -> None:
    body = {**RESOURCES[resource][0](tenant), "colour": "red"}
    detail = problem(await tenant.api.post(f"/{resource}", json=body), 422)
    assert "colour" in detail["detail"]
    assert detail["errors"][0]["location"] == "body/colour"


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_bad_json_is_422(resource: str, tenant: Tenant) -> None:
    answer = await tenant.api.post(
        f"/{resource}", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert "JSON" in problem(answer, 422)["detail"]


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_unknown_id_is_404(resource: str, tenant: Tenant) -> None:
    detail = problem(await tenant.api.get(f"/{resource}/no-such-thing"), 404)["detail"]
    assert "no-such-thing" in detail
    problem(await tenant.api.delete(f"/{resource}/no-such-thing"), 404)


@pytest.mark.parametrize(
    ("resource", "key"), [("stations", "id"), ("id-tags", "value"), ("users", "email")]
)
async def test_duplicate_is_409(resource: str, key: str, tenant: Tenant) -> None:
    first = await create(tenant, resource)
    body = {**RESOURCES[resource][0](tenant), key: first[key]}
    detail = problem(await tenant.api.post(f"/{resource}", json=body), 409)["detail"]
    assert first[key] in detail


async def test_unknown_ids_elsewhere_are_404(tenant: Tenant) -> None:
    for path in ("/transactions/999999999", "/tokens/nope", "/locations/nope/tree"):
        answer = await tenant.api.request("DELETE" if "tokens" in path else "GET", path)
        problem(answer, 404)
    problem(await tenant.api.get("/transactions/not-a-number"), 422)
    problem(await tenant.api.get("/no-such-resource"), 404)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/id-tags", {"value": "NULLTEST"}, "status"),
        ("/stations", {"id": "NULL-CP"}, "registration_status"),
        ("/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["*"]}, "enabled"),
        ("/circuits", {"name": "null test", "max_power_kw": 22}, "objective"),
    ],
)
async def test_null_for_a_required_column_is_422_not_500(
    path: str, body: dict[str, Any], field: str, tenant: Tenant
) -> None:
    created = await tenant.api.post(path, json=body)
    assert created.status_code == 201, created.text
    key = created.json()["id"]
    answer = await tenant.api.patch(f"{path}/{key}", json={field: None})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in answer.json()["detail"]
