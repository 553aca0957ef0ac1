"""The users page: admins only, with the REST API's rules (the last active admin stays)."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def test_an_admin_adds_a_user_and_changes_their_role_and_access(tenant: Tenant) -> None:
    admin = await make_user(tenant, "admin")
    email = f"{tenant.unique('new')}@example.com"
    async with browser_client(tenant, admin) as client:
        page = await client.get("/users")
        csrf = hidden(page.text, "csrf_token")
        form = {"csrf_token": csrf, "email": email, "password": "long-enough-pw", "role": "viewer"}
        added = await client.post("/users", data=form)
        short = await client.post("/users", data=form | {"email": "x" + email, "password": "short"})
        user = next(
            u for u in (await tenant.api.get("/users")).json()["items"] if u["email"] == email
        )
        changed = await client.post(
            f"/users/{user['id']}", data={"csrf_token": csrf, "role": "operator"}
        )
        last_admin = await client.post(
            f"/users/{admin.id}", data={"csrf_token": csrf, "role": "viewer", "active": "true"}
        )
    assert page.status_code == 200 and admin.email in page.text
    assert added.status_code == 303 and short.status_code == 422
    assert changed.status_code == 303
    after = (await tenant.api.get(f"/users/{user['id']}")).json()
    assert (after["role"], after["active"]) == ("operator", False)  # unchecked: may not sign in
    assert last_admin.status_code == 409


async def test_an_operator_gets_no_users_page(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        overview = await client.get("/")
        page = await client.get("/users")
        refused = await client.post(
            "/users",
            data={"csrf_token": hidden(overview.text, "csrf_token"), "email": "a@example.com"},
        )
    assert 'href="/users"' not in overview.text
    assert page.status_code == 403 and refused.status_code == 403
