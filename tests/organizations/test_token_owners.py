"""Every API token belongs to a user or is an explicit service token; a user's token never does
more than its user may now, and dies with the user's account (issue 10, "Tokens and users")."""

from typing import Any

import httpx

from tests.api.factories import USER_PASSWORD, created
from tests.conftest import Tenant
from tests.support.http import http_client


def client(tenant: Tenant, **kwargs: Any) -> httpx.AsyncClient:
    return http_client(base_url=str(tenant.api.base_url), **kwargs)


def bearer(tenant: Tenant, secret: str) -> httpx.AsyncClient:
    return client(tenant, headers={"Authorization": f"Bearer {secret}"})


async def user(tenant: Tenant, role: str) -> tuple[dict[str, Any], str]:
    email = f"{tenant.unique(role)}@example.com"
    made = await created(
        tenant.api, "/users", {"email": email, "password": USER_PASSWORD, "role": role}
    )
    return made, email


async def test_who_am_i_with_a_service_token_and_with_basic(tenant: Tenant) -> None:
    me = (await tenant.api.get("/users/me")).json()
    assert me["id"] is None and me["email"] is None and me["service"] is True
    assert me["role"] == "admin" and me["authenticated_by"] == "token"
    assert me["organization"] == {"id": tenant.organization_id, "name": tenant.name}
    operator, email = await user(tenant, "operator")
    async with client(tenant, auth=(email, USER_PASSWORD)) as basic:
        me = (await basic.get("/users/me")).json()
    assert (me["id"], me["email"], me["role"]) == (operator["id"], email, "operator")
    assert me["authenticated_by"] == "basic" and me["token_id"] is None and me["service"] is False


async def test_a_users_token_is_capped_by_the_users_current_role(tenant: Tenant) -> None:
    await user(tenant, "admin")  # the organization keeps an admin when this one is demoted
    admin, email = await user(tenant, "admin")
    async with client(tenant, auth=(email, USER_PASSWORD)) as basic:
        token = await created(basic, "/tokens", {"name": "laptop", "role": "admin"})
    assert token["user_id"] == admin["id"] and token["service"] is False
    async with bearer(tenant, token["secret"]) as api:
        me = (await api.get("/users/me")).json()
        assert (me["id"], me["role"], me["token_id"]) == (admin["id"], "admin", token["id"])
        demoted = await tenant.api.patch(f"/users/{admin['id']}", json={"role": "viewer"})
        assert demoted.status_code == 200
        assert (await api.get("/users/me")).json()["role"] == "viewer"
        refused = await api.post("/users", json={"email": "x@example.com", "password": "p" * 12})
        assert refused.status_code == 403
        assert (await api.post("/locations", json={"name": "no"})).status_code == 403


async def test_deactivating_or_deleting_a_user_revokes_its_tokens(tenant: Tenant) -> None:
    """The attack of issue 10: a token outliving its creator's demotion, deactivation and
    deletion still created a new admin user."""
    await user(tenant, "admin")  # the organization keeps an admin
    for ending in ("deactivate", "delete"):
        admin, email = await user(tenant, "admin")
        async with client(tenant, auth=(email, USER_PASSWORD)) as basic:
            token = await created(basic, "/tokens", {"role": "admin"})
        if ending == "deactivate":
            answer = await tenant.api.patch(f"/users/{admin['id']}", json={"active": False})
            assert answer.status_code == 200
            reactivated = await tenant.api.patch(f"/users/{admin['id']}", json={"active": True})
            assert reactivated.status_code == 200  # coming back does not revive old tokens
        else:
            assert (await tenant.api.delete(f"/users/{admin['id']}")).status_code == 204
        async with bearer(tenant, token["secret"]) as api:
            body = {"email": f"{tenant.unique('evil')}@example.com", "password": USER_PASSWORD}
            answer = await api.post("/users", json=body | {"role": "admin"})
            assert answer.status_code == 401, ending
            assert answer.headers["content-type"] == "application/problem+json"
        listed = (await tenant.api.get("/tokens")).json()["items"]
        assert token["id"] not in {item["id"] for item in listed}


async def test_token_roles_and_owners_are_checked(tenant: Tenant) -> None:
    viewer, _ = await user(tenant, "viewer")
    too_high = await tenant.api.post("/tokens", json={"role": "operator", "user_id": viewer["id"]})
    assert too_high.status_code == 403
    own = await created(tenant.api, "/tokens", {"role": "viewer", "user_id": viewer["id"]})
    assert own["user_id"] == viewer["id"] and own["service"] is False
    # A service token has no user to give a token to: it must ask for a service token.
    ownerless = await tenant.api.post("/tokens", json={"role": "viewer"})
    assert ownerless.status_code == 422
    both = await tenant.api.post(
        "/tokens", json={"role": "viewer", "service": True, "user_id": viewer["id"]}
    )
    assert both.status_code == 422
    service = await created(tenant.api, "/tokens", {"role": "operator", "service": True})
    assert service["service"] is True and service["user_id"] is None
    async with bearer(tenant, service["secret"]) as api:
        me = (await api.get("/users/me")).json()
        assert (me["role"], me["service"]) == ("operator", True)
        assert (await api.post("/tokens", json={"service": True})).status_code == 403


async def test_tokens_of_another_organizations_user_cannot_be_made(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    stranger, _ = await user(other_tenant, "viewer")
    answer = await tenant.api.post("/tokens", json={"role": "viewer", "user_id": stranger["id"]})
    assert answer.status_code == 404


async def test_the_last_admin_cannot_be_demoted_deactivated_or_deleted(tenant: Tenant) -> None:
    admin, _ = await user(tenant, "admin")
    for change in ({"role": "operator"}, {"active": False}):
        answer = await tenant.api.patch(f"/users/{admin['id']}", json=change)
        assert answer.status_code == 409, change
        assert answer.headers["content-type"] == "application/problem+json"
    assert (await tenant.api.delete(f"/users/{admin['id']}")).status_code == 409
