"""The API tokens page: admins only, the secret shown on the answer to the form and never
again, and revoking."""

import re

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.support.http import http_client


def shown(page: str, element_id: str) -> str:
    """The value of the read-only field with this id (where a page shows a secret)."""
    found = re.search(rf'id="{element_id}"[^>]*value="([^"]*)"', page)
    assert found is not None, f"no field {element_id!r} in the page"
    return found.group(1)


async def test_an_admin_issues_a_token_sees_its_secret_once_and_revokes_it(
    tenant: Tenant,
) -> None:
    admin = await make_user(tenant, "admin")
    name = tenant.unique("export")
    async with browser_client(tenant, admin) as client:
        page = await client.get("/tokens")
        csrf = hidden(page.text, "csrf_token")
        issued = await client.post(
            "/tokens", data={"csrf_token": csrf, "name": name, "role": "viewer"}
        )
        secret = shown(issued.text, "issued-secret")
        again = await client.get("/tokens")
        token = next(
            t for t in (await tenant.api.get("/tokens")).json()["items"] if t["name"] == name
        )
        async with http_client(
            base_url=f"{tenant.server.base_url}/api/v1",
            headers={"Authorization": f"Bearer {secret}"},
        ) as holder:
            before = await holder.get("/stations")
            revoked = await client.post(f"/tokens/{token['id']}/revoke", data={"csrf_token": csrf})
            after = await holder.get("/stations")
        above = await client.post(
            "/tokens",
            data={"csrf_token": csrf, "name": "nightly", "role": "superuser", "service": "true"},
        )
    assert page.status_code == 200 and issued.status_code == 201
    assert secret.startswith(token["prefix"]) and len(secret) > 20
    assert secret not in again.text and name in again.text
    assert before.status_code == 200
    assert revoked.status_code == 303 and after.status_code == 401
    assert above.status_code == 422 and 'id="new-role-error"' in above.text
    assert 'value="nightly"' in above.text and 'name="service" value="true" checked' in above.text


async def test_others_get_no_tokens_page(tenant: Tenant) -> None:
    for role in ("viewer", "operator"):
        user = await make_user(tenant, role)
        async with browser_client(tenant, user) as client:
            overview = await client.get("/")
            page = await client.get("/tokens")
            refused = await client.post(
                "/tokens", data={"csrf_token": hidden(overview.text, "csrf_token"), "name": "x"}
            )
        assert 'href="/tokens"' not in overview.text
        assert page.status_code == 403 and refused.status_code == 403
