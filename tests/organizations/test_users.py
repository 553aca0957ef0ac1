"""/api/v1/users: admin-only user management, and users signing in with HTTP Basic."""

from typing import Any

import httpx

from tests.api.factories import USER_PASSWORD, client_as, created
from tests.conftest import Tenant
from tests.support.http import http_client


def basic(tenant: Tenant, email: str, password: str) -> httpx.AsyncClient:
    return http_client(base_url=str(tenant.api.base_url), auth=(email, password))


async def test_user_lifecycle(tenant: Tenant) -> None:
    email = f"{tenant.unique('ada')}@Example.com"
    user = await created(
        tenant.api,
        "/users",
        {"email": email, "password": USER_PASSWORD, "role": "operator", "name": "Ada"},
    )
    assert user["email"] == email.lower() and user["role"] == "operator" and user["active"] is True
    assert "password" not in user and "password_hash" not in user

    listed = (await tenant.api.get("/users")).json()
    assert [u["id"] for u in listed["items"]] == [user["id"]]
    patched = await tenant.api.patch(f"/users/{user['id']}", json={"role": "viewer"})
    assert patched.status_code == 200
    assert patched.json() | {"role": "operator", "updated_at": user["updated_at"]} == user

    assert (await tenant.api.delete(f"/users/{user['id']}")).status_code == 204
    assert (await tenant.api.get(f"/users/{user['id']}")).status_code == 404
    assert (await tenant.api.get("/users")).json()["total"] == 0


async def test_user_input_rules(tenant: Tenant) -> None:
    email = f"{tenant.unique('bob')}@example.com"
    await created(tenant.api, "/users", {"email": email, "password": USER_PASSWORD})
    duplicate = await tenant.api.post(
        "/users", json={"email": email.upper(), "password": USER_PASSWORD}
    )
    assert duplicate.status_code == 409
    assert "not available" in duplicate.json()["detail"]
    for bad in (
        {"email": "not-an-email", "password": USER_PASSWORD},
        {"email": f"x{email}", "password": "short"},
        {"email": f"y{email}", "password": USER_PASSWORD, "role": "superuser"},
    ):
        answer = await tenant.api.post("/users", json=bad)
        assert answer.status_code == 422, (bad, answer.text)


async def test_basic_auth_signs_in_with_the_users_role(tenant: Tenant) -> None:
    email = f"{tenant.unique('eve')}@example.com"
    user = await created(
        tenant.api, "/users", {"email": email, "password": USER_PASSWORD, "role": "viewer"}
    )
    async with basic(tenant, email, USER_PASSWORD) as api:
        assert (await api.get("/organization")).json()["id"] == tenant.organization_id
        assert (await api.post("/locations", json={"name": "x"})).status_code == 403
    async with basic(tenant, email, "wrong-password!!") as api:
        assert (await api.get("/organization")).status_code == 401

    await tenant.api.patch(f"/users/{user['id']}", json={"password": "a-new-long-password"})
    async with basic(tenant, email, USER_PASSWORD) as api:
        assert (await api.get("/organization")).status_code == 401
    async with basic(tenant, email, "a-new-long-password") as api:
        assert (await api.get("/organization")).status_code == 200

    await tenant.api.patch(f"/users/{user['id']}", json={"active": False})
    async with basic(tenant, email, "a-new-long-password") as api:
        assert (await api.get("/organization")).status_code == 401


async def test_an_admin_user_cannot_delete_itself(tenant: Tenant) -> None:
    email = f"{tenant.unique('root')}@example.com"
    admin = await created(
        tenant.api, "/users", {"email": email, "password": USER_PASSWORD, "role": "admin"}
    )
    async with basic(tenant, email, USER_PASSWORD) as api:
        answer = await api.delete(f"/users/{admin['id']}")
        assert answer.status_code == 409
    assert (await tenant.api.get(f"/users/{admin['id']}")).status_code == 200


async def test_only_admins_manage_users(tenant: Tenant) -> None:
    async with client_as(tenant, "operator") as operator:
        assert (await operator.get("/users")).status_code == 403
        answer = await operator.post(
            "/users", json={"email": "o@example.com", "password": USER_PASSWORD}
        )
        assert answer.status_code == 403
        assert "admin" in answer.json()["detail"]


async def admin_user(tenant: Tenant) -> dict[str, Any]:
    body = {"email": f"{tenant.unique('admin')}@example.com", "password": USER_PASSWORD}
    return await created(tenant.api, "/users", body | {"role": "admin"})


async def user_events(tenant: Tenant) -> list[str]:
    answer = await tenant.api.get("/events", params={"type": "user.*"})
    return [event["type"] for event in answer.json()["items"]]


async def test_the_last_active_admin_cannot_be_taken_away(tenant: Tenant) -> None:
    admin = await admin_user(tenant)
    path = f"/users/{admin['id']}"
    put = {"email": admin["email"], "role": "admin", "active": True}
    etag = {"If-Match": (await tenant.api.get(path)).headers["ETag"]}
    refusals = [
        await tenant.api.patch(path, json={"role": "operator"}),
        await tenant.api.patch(path, json={"active": False}),
        await tenant.api.put(path, json=put | {"role": "viewer"}, headers=etag),
        await tenant.api.put(path, json=put | {"active": False}, headers=etag),
        await tenant.api.delete(path),
    ]
    for answer in refusals:
        assert answer.status_code == 409, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["detail"] == "an organization needs at least one active admin"
    assert (await tenant.api.get(path)).json() == admin
    assert await user_events(tenant) == ["user.created"]
    # Changes that keep it an active admin are not refused.
    renamed = await tenant.api.patch(path, json={"name": "Root", "role": "admin"})
    assert renamed.status_code == 200


async def test_an_admin_can_go_once_another_active_admin_exists(tenant: Tenant) -> None:
    first, second = await admin_user(tenant), await admin_user(tenant)
    demoted = await tenant.api.patch(f"/users/{first['id']}", json={"role": "operator"})
    assert demoted.status_code == 200 and demoted.json()["role"] == "operator"
    # `second` is the last one now; an inactive admin does not count.
    await tenant.api.patch(f"/users/{first['id']}", json={"role": "admin", "active": False})
    assert (await tenant.api.delete(f"/users/{second['id']}")).status_code == 409
    assert (await tenant.api.patch(f"/users/{first['id']}", json={"active": True})).is_success
    assert (await tenant.api.delete(f"/users/{second['id']}")).status_code == 204
    assert (await tenant.api.get(f"/users/{first['id']}")).json()["active"] is True


async def test_the_last_admin_rule_is_per_organization(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    await admin_user(tenant)
    lone = await admin_user(other_tenant)
    answer = await other_tenant.api.patch(f"/users/{lone['id']}", json={"role": "viewer"})
    assert answer.status_code == 409
    theirs = await admin_user(tenant)
    assert (await tenant.api.delete(f"/users/{theirs['id']}")).status_code == 204
