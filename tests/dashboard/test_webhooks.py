"""The webhooks pages: every role reads subscriptions and their delivery log; admins subscribe
(the secret shown once), ping, switch off and delete; others see no such form and get 403."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_tokens import shown
from tests.webhooks.receiver import running_receiver


async def test_an_admin_subscribes_pings_and_reads_the_delivery_log(tenant: Tenant) -> None:
    admin = await make_user(tenant, "admin")
    async with running_receiver() as receiver, browser_client(tenant, admin) as client:
        page = await client.get("/webhooks")
        csrf = hidden(page.text, "csrf_token")
        form = {
            "csrf_token": csrf,
            "url": receiver.url,
            "events": "session.*, connector.status_changed",
            "description": "ops",
        }
        created = await client.post("/webhooks", data=form)
        secret = shown(created.text, "created-secret")
        hook = (await tenant.api.get("/webhooks")).json()["items"][0]
        pinged = await client.post(f"/webhooks/{hook['id']}/ping", data={"csrf_token": csrf})
        detail = await client.get(f"/webhooks/{hook['id']}")
        listing = await client.get("/webhooks")
        off = await client.post(f"/webhooks/{hook['id']}/enabled", data={"csrf_token": csrf})
        switched = (await tenant.api.get(f"/webhooks/{hook['id']}")).json()
        bad = await client.post("/webhooks", data=form | {"url": "not a url"})
        deleted = await client.post(f"/webhooks/{hook['id']}/delete", data={"csrf_token": csrf})
        gone = await client.get(f"/webhooks/{hook['id']}")
    assert created.status_code == 201 and len(secret) >= 20
    assert hook["events"] == ["session.*", "connector.status_changed"]
    assert secret not in listing.text and receiver.url in listing.text
    assert pinged.status_code == 303 and len(receiver.received) == 1
    assert "webhook.ping" in detail.text and "1 attempt," in detail.text
    assert off.status_code == 303 and switched["enabled"] is False
    assert bad.status_code == 422 and 'id="new-url-error"' in bad.text
    assert 'value="not a url"' in bad.text and 'value="ops"' in bad.text  # the form as sent
    assert deleted.status_code == 303 and gone.status_code == 404


async def test_a_viewer_reads_but_sees_no_admin_forms_and_is_refused(tenant: Tenant) -> None:
    made = await tenant.api.post(
        "/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["*"]}
    )
    hook_id = made.json()["id"]
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/webhooks")
        detail = await client.get(f"/webhooks/{hook_id}")
        csrf = hidden(listing.text, "csrf_token")
        refused = [
            await client.post(path, data={"csrf_token": csrf, "url": "http://127.0.0.1:9/x"})
            for path in (
                "/webhooks",
                f"/webhooks/{hook_id}/ping",
                f"/webhooks/{hook_id}/enabled",
                f"/webhooks/{hook_id}/delete",
            )
        ]
    assert listing.status_code == 200 and "http://127.0.0.1:9/hook" in listing.text
    assert 'id="add-webhook"' not in listing.text
    assert detail.status_code == 200 and "Delete webhook" not in detail.text
    assert "Send a ping" not in detail.text
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert (await tenant.api.get(f"/webhooks/{hook_id}")).status_code == 200


async def test_another_organizations_webhook_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    made = await other_tenant.api.post(
        "/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["*"]}
    )
    admin = await make_user(tenant, "admin")
    async with browser_client(tenant, admin) as client:
        page = await client.get(f"/webhooks/{made.json()['id']}")
    assert page.status_code == 404
