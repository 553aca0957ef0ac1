"""/api/v1/webhooks: the subscription resource, its secret shown once, and tenant isolation."""

from tests.conftest import Tenant
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver


async def test_secret_is_shown_only_at_creation(hooks: Tenant, receiver: Receiver) -> None:
    created = await subscribe(hooks, receiver.url, ["session.*", "station.connected"])
    assert created["events"] == ["session.*", "station.connected"] and created["enabled"] is True
    fetched = await hooks.api.get(f"/webhooks/{created['id']}")
    assert fetched.status_code == 200 and "secret" not in fetched.json()
    listed = (await hooks.api.get("/webhooks")).json()
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    assert created["secret"] not in fetched.text + str(listed)


async def test_patch_and_delete(hooks: Tenant, receiver: Receiver) -> None:
    created = await subscribe(hooks, receiver.url)
    patched = await hooks.api.patch(
        f"/webhooks/{created['id']}",
        json={"events": ["id_tag.*"], "description": "tags", "enabled": False},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["events"] == ["id_tag.*"] and patched.json()["enabled"] is False
    assert (await hooks.api.post("/id-tags", json={"value": "OFF-1"})).status_code == 201
    stale = await hooks.api.patch(
        f"/webhooks/{created['id']}", json={"enabled": True}, headers={"If-Match": '"x.1"'}
    )
    assert stale.status_code == 412
    assert (await hooks.api.delete(f"/webhooks/{created['id']}")).status_code == 204
    assert (await hooks.api.get(f"/webhooks/{created['id']}")).status_code == 404
    assert receiver.received == []


async def test_invalid_subscriptions_are_refused(hooks: Tenant, receiver: Receiver) -> None:
    for body in (
        {"url": "ftp://example.com/x", "events": ["*"]},
        {"url": "not a url", "events": ["*"]},
        {"url": receiver.url, "events": []},
        {"url": receiver.url, "events": ["Session Started"]},
        {"url": receiver.url, "events": ["*"], "secret": "mine"},
    ):
        answer = await hooks.api.post("/webhooks", json=body)
        assert answer.status_code == 422, (body, answer.text)


async def test_another_organizations_webhook_is_not_found(
    hooks: Tenant, receiver: Receiver, fast_other: Tenant
) -> None:
    created = await subscribe(hooks, receiver.url)
    for call in (
        fast_other.api.get(f"/webhooks/{created['id']}"),
        fast_other.api.patch(f"/webhooks/{created['id']}", json={"enabled": False}),
        fast_other.api.delete(f"/webhooks/{created['id']}"),
        fast_other.api.get(f"/webhooks/{created['id']}/deliveries"),
        fast_other.api.post(f"/webhooks/{created['id']}/ping"),
        fast_other.api.post(f"/webhooks/{created['id']}/rotate-secret"),
    ):
        assert (await call).status_code == 404
    assert (await fast_other.api.get("/webhooks")).json()["total"] == 0
    assert receiver.received == []
