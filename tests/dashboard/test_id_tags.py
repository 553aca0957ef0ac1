"""The ID tags page: everyone reads, operators add tags and change their status, viewers may not."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def test_an_operator_adds_and_blocks_a_tag(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    value = tenant.unique("CARD")
    async with browser_client(tenant, operator) as client:
        page = await client.get("/id-tags")
        csrf = hidden(page.text, "csrf_token")
        added = await client.post(
            "/id-tags", data={"csrf_token": csrf, "value": value, "description": "Fleet card"}
        )
        assert added.status_code == 303
        duplicate = await client.post(
            "/id-tags", data={"csrf_token": csrf, "value": value, "description": "Spare card"}
        )
        bad = await client.post("/id-tags", data={"csrf_token": csrf, "value": ""})
        tag = (await tenant.api.get("/id-tags", params={"value": value})).json()["items"][0]
        assert tag["status"] == "Accepted" and tag["description"] == "Fleet card"
        blocked = await client.post(
            f"/id-tags/{tag['id']}/status", data={"csrf_token": csrf, "status": "Blocked"}
        )
        wrong = await client.post(
            f"/id-tags/{tag['id']}/status", data={"csrf_token": csrf, "status": "Maybe"}
        )
        listing = await client.get("/id-tags", params={"status": "Blocked"})
    assert duplicate.status_code == 409 and bad.status_code == 422
    # A refused tag comes back as sent, the refusal beside its field, not as the error page.
    assert 'id="new-value-error"' in duplicate.text and 'value="Spare card"' in duplicate.text
    assert f'value="{value}"' in duplicate.text and 'id="new-value-error"' in bad.text
    assert blocked.status_code == 303 and wrong.status_code == 422
    assert value in listing.text and "status-blocked" in listing.text
    assert (await tenant.api.get(f"/id-tags/{tag['id']}")).json()["status"] == "Blocked"


async def test_a_viewer_reads_tags_but_may_not_change_them(tenant: Tenant) -> None:
    value = tenant.unique("CARD")
    await tenant.api.post("/id-tags", json={"value": value})
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        page = await client.get("/id-tags")
        csrf = hidden(page.text, "csrf_token")
        refused = await client.post("/id-tags", data={"csrf_token": csrf, "value": "NEW"})
    assert value in page.text and "Add a tag" not in page.text
    assert refused.status_code == 403
