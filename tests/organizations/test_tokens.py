"""/api/v1/tokens: list without secrets, a secret shown once at creation, revocation is final."""

from datetime import UTC, datetime

import httpx

from tests.api.factories import client_as, created
from tests.conftest import Tenant
from tests.support.http import http_client


def bearer(tenant: Tenant, secret: str) -> httpx.AsyncClient:
    return http_client(
        base_url=str(tenant.api.base_url), headers={"Authorization": f"Bearer {secret}"}
    )


async def test_a_created_token_works_with_its_role(tenant: Tenant) -> None:
    token = await created(
        tenant.api, "/tokens", {"name": "ci", "role": "operator", "service": True}
    )
    assert token["secret"].startswith(token["prefix"])
    assert token["role"] == "operator" and token["name"] == "ci"
    async with bearer(tenant, token["secret"]) as api:
        assert (await api.post("/locations", json={"name": "by operator"})).status_code == 201
        assert (await api.get("/tokens")).status_code == 403


async def test_listing_never_shows_secrets(tenant: Tenant) -> None:
    token = await created(tenant.api, "/tokens", {"name": "dashboard", "service": True})
    listing = await tenant.api.get("/tokens")
    assert token["secret"] not in listing.text
    items = {item["id"]: item for item in listing.json()["items"]}
    assert set(items[token["id"]]) == {
        "id",
        "name",
        "role",
        "prefix",
        "created_at",
        "last_used_at",
        "user_id",
        "service",
    }
    assert items[token["id"]]["role"] == "viewer"  # least privilege unless asked
    assert listing.json()["total"] == 2  # the fixture's admin token and this one


async def test_a_revoked_token_answers_401(tenant: Tenant) -> None:
    token = await created(tenant.api, "/tokens", {"role": "admin", "service": True})
    async with bearer(tenant, token["secret"]) as api:
        assert (await api.get("/organization")).status_code == 200
        assert (await tenant.api.delete(f"/tokens/{token['id']}")).status_code == 204
        revoked = await api.get("/organization")
        assert revoked.status_code == 401
        assert revoked.headers["content-type"] == "application/problem+json"
    assert token["id"] not in {
        item["id"] for item in (await tenant.api.get("/tokens")).json()["items"]
    }
    assert (await tenant.api.delete(f"/tokens/{token['id']}")).status_code == 404


async def test_tokens_are_admin_only(tenant: Tenant) -> None:
    async with client_as(tenant, "operator") as operator:
        assert (await operator.post("/tokens", json={"role": "admin"})).status_code == 403


async def last_used(tenant: Tenant, token_id: str) -> str | None:
    items = (await tenant.api.get("/tokens")).json()["items"]
    value: str | None = {item["id"]: item for item in items}[token_id]["last_used_at"]
    return value


async def test_last_used_at_is_stamped_at_most_once_a_minute(tenant: Tenant) -> None:
    token = await created(tenant.api, "/tokens", {"name": "probe", "service": True})
    assert token["last_used_at"] is None
    assert await last_used(tenant, token["id"]) is None  # listing it is not using it
    async with bearer(tenant, token["secret"]) as api:
        before = datetime.now(UTC)
        assert (await api.get("/organization")).status_code == 200
        after = datetime.now(UTC)
        first = await last_used(tenant, token["id"])
        assert first is not None
        assert before <= datetime.fromisoformat(first) <= after
        assert (await api.get("/organization")).status_code == 200
    assert await last_used(tenant, token["id"]) == first
    # The caller's own token is stamped too.
    assert await last_used(tenant, (await tenant.api.get("/tokens")).json()["items"][0]["id"])
