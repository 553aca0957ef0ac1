"""The users page: admins only, with the REST API's rules (the last active admin stays)."""

from urllib.parse import urlencode

from tests.api.factories import created
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def test_an_admin_adds_a_user_and_changes_their_role_and_access(tenant: Tenant) -> None:
    admin = await make_user(tenant, "admin")
    email = f"{tenant.unique('new')}@example.com"
    async with browser_client(tenant, admin) as client:
        page = await client.get("/users")
        csrf = hidden(page.text, "csrf_token")
        form = {"csrf_token": csrf, "email": email, "password": "long-enough-pw", "role": "viewer"}
        added = await client.post("/users", data=form)
        short = await client.post("/users", data=form | {"email": "x" + email, "password": "short"})
        taken = await client.post("/users", data=form | {"name": "Second Ada"})
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
    # A refused user comes back as sent, but for the password, the refusal beside its field.
    assert 'id="new-password-error"' in short.text and f'value="x{email}"' in short.text
    assert "short" not in short.text.split('id="new-password"')[1].split(">")[0]
    assert taken.status_code == 409 and 'id="new-email-error"' in taken.text
    assert 'value="Second Ada"' in taken.text and "long-enough-pw" not in taken.text
    assert changed.status_code == 303
    after = (await tenant.api.get(f"/users/{user['id']}")).json()
    assert (after["role"], after["active"]) == ("operator", False)  # unchecked: may not sign in
    assert last_admin.status_code == 409
    assert "at least one active admin" in last_admin.text and 'id="add-user"' in last_admin.text


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


async def test_an_admin_confines_a_user_to_sites_and_frees_them_again(tenant: Tenant) -> None:
    admin = await make_user(tenant, "admin")
    operator = await make_user(tenant, "operator")
    north = await created(tenant.api, "/locations", {"name": tenant.unique("North")})
    south = await created(tenant.api, "/locations", {"name": tenant.unique("South")})
    async with browser_client(tenant, admin) as client:
        before = await client.get("/users")
        csrf = hidden(before.text, "csrf_token")
        both = [("csrf_token", csrf), ("location_ids", north["id"]), ("location_ids", south["id"])]
        confined = await client.post(
            f"/users/{operator.id}/sites", content=urlencode(both), headers=FORM
        )
        listed = await client.get("/users")
        stored = (await tenant.api.get(f"/users/{operator.id}")).json()["location_ids"]
        freed = await client.post(f"/users/{operator.id}/sites", data={"csrf_token": csrf})
        after = await client.get("/users")
    assert f'id="sites-{operator.id}">whole organization<' in before.text
    assert f'action="/users/{operator.id}/sites"' in before.text  # an admin has no such form
    assert f'action="/users/{admin.id}/sites"' not in before.text
    assert f'name="location_ids" value="{north["id"]}" checked' in listed.text
    assert confined.status_code == 303 and freed.status_code == 303
    assert sorted(stored) == sorted([north["id"], south["id"]])
    shown = sorted([north["name"], south["name"]])
    assert f'id="sites-{operator.id}">{shown[0]}, {shown[1]}<' in listed.text
    assert (await tenant.api.get(f"/users/{operator.id}")).json()["location_ids"] is None
    assert f'id="sites-{operator.id}">whole organization<' in after.text


async def test_a_refused_site_list_is_a_form_error(tenant: Tenant) -> None:
    admin = await make_user(tenant, "admin")
    viewer = await make_user(tenant, "viewer")
    site = await created(tenant.api, "/locations", {"name": tenant.unique("Site")})
    async with browser_client(tenant, admin) as client:
        csrf = hidden((await client.get("/users")).text, "csrf_token")
        an_admin = await client.post(
            f"/users/{admin.id}/sites", data={"csrf_token": csrf, "location_ids": site["id"]}
        )
        elsewhere = await client.post(
            f"/users/{viewer.id}/sites", data={"csrf_token": csrf, "location_ids": "no-such"}
        )
    assert an_admin.status_code == 422 and elsewhere.status_code == 422
    assert 'role="alert">location_ids: an admin sees the whole organization' in an_admin.text
    assert "<h1>Users</h1>" in an_admin.text and "no location &#39;no-such&#39;" in elsewhere.text
    for user in (admin, viewer):
        assert (await tenant.api.get(f"/users/{user.id}")).json()["location_ids"] is None


async def test_only_an_admin_changes_sites(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    site = await created(tenant.api, "/locations", {"name": tenant.unique("Site")})
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/")).text, "csrf_token")
        refused = await client.post(
            f"/users/{viewer.id}/sites", data={"csrf_token": csrf, "location_ids": site["id"]}
        )
    async with browser_client(tenant, viewer) as client:
        csrf = hidden((await client.get("/")).text, "csrf_token")
        own = await client.post(
            f"/users/{viewer.id}/sites", data={"csrf_token": csrf, "location_ids": site["id"]}
        )
    async with browser_client(tenant, await make_user(tenant, "admin")) as client:
        forged = await client.post(
            f"/users/{viewer.id}/sites", data={"csrf_token": "forged", "location_ids": site["id"]}
        )
    assert refused.status_code == 403 and own.status_code == 403 and forged.status_code == 403
    assert (await tenant.api.get(f"/users/{viewer.id}")).json()["location_ids"] is None
