"""Signing in and out: the front door, the cookie's flags, CSRF, and sessions that end."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user, sign_in
from tests.support.http import http_client


async def test_the_front_door_is_a_sign_in_page(tenant: Tenant) -> None:
    async with http_client(base_url=tenant.server.base_url) as client:
        front = await client.get("/")
        station = await client.get("/stations/nowhere")
    assert front.status_code == 200
    assert front.headers["content-type"].startswith("text/html")
    assert 'action="/sign-in"' in front.text and 'name="password"' in front.text
    assert station.status_code == 401 and 'action="/sign-in"' in station.text


async def test_sign_in_sets_a_guarded_cookie_and_sign_out_clears_it(tenant: Tenant) -> None:
    user = await make_user(tenant, "viewer")
    async with browser_client(tenant) as client:
        answer = await sign_in(client, user)
        assert answer.status_code == 303 and answer.headers["location"] == "/"
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        overview = await client.get("/")
        assert "Stations online" in overview.text and "(viewer)" in overview.text
        csrf = hidden(overview.text, "csrf_token")
        refused = await client.post("/sign-out", data={"csrf_token": "forged"})
        assert refused.status_code == 403
        out = await client.post("/sign-out", data={"csrf_token": csrf})
        assert out.status_code == 303
        assert 'action="/sign-in"' in (await client.get("/")).text


async def test_wrong_password_and_stale_form_are_refused(tenant: Tenant) -> None:
    user = await make_user(tenant, "admin")
    async with browser_client(tenant) as client:
        front = await client.get("/")
        form = {"csrf_token": hidden(front.text, "csrf_token"), "email": user.email}
        wrong = await client.post("/sign-in", data=form | {"password": "not-the-password"})
        stale = await client.post(
            "/sign-in", data=form | {"password": user.password, "csrf_token": "1.x"}
        )
    assert wrong.status_code == 401 and "Wrong e-mail or password" in wrong.text
    assert stale.status_code == 403 and "set-cookie" not in stale.headers


async def test_a_form_from_another_site_is_refused(tenant: Tenant) -> None:
    user = await make_user(tenant, "admin")
    async with browser_client(tenant, user) as client:
        csrf = hidden((await client.get("/")).text, "csrf_token")
        answer = await client.post(
            "/sign-out", data={"csrf_token": csrf}, headers={"Origin": "https://evil.example"}
        )
    assert answer.status_code == 403


async def test_a_new_password_or_deactivation_ends_sessions(tenant: Tenant) -> None:
    user = await make_user(tenant, "operator")
    async with browser_client(tenant, user) as client:
        assert "Stations online" in (await client.get("/")).text
        await tenant.api.patch(f"/users/{user.id}", json={"password": "another-long-password"})
        assert 'action="/sign-in"' in (await client.get("/")).text
    other = await make_user(tenant, "operator")
    async with browser_client(tenant, other) as client:
        await tenant.api.patch(f"/users/{other.id}", json={"active": False})
        assert (await client.get("/stations")).status_code == 401


async def test_after_sign_in_the_page_asked_for_opens(tenant: Tenant) -> None:
    user = await make_user(tenant, "viewer")
    async with browser_client(tenant) as client:
        page = await client.get("/sessions")
        form = {
            "csrf_token": hidden(page.text, "csrf_token"),
            "next": hidden(page.text, "next"),
            "email": user.email,
            "password": user.password,
        }
        answer = await client.post("/sign-in", data=form)
        assert answer.headers["location"] == "/sessions"
        offsite = await client.post("/sign-in", data=form | {"next": "//evil.example/"})
        assert offsite.headers["location"] == "/"
