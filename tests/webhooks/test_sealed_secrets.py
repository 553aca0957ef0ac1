"""Webhook secrets are sealed at rest under the server key and still sign; a secret stored in
clear before sealing existed is sealed at start and keeps signing (issue 10)."""

from sqlalchemy import select, update

from chargeyard.security.sealing import Sealer, is_sealed
from chargeyard.security.secret_key import secret_key
from chargeyard.storage.database import Database
from chargeyard.webhooks.models import WebhookSubscription
from chargeyard.webhooks.service import seal_clear_secrets
from tests.conftest import Tenant
from tests.webhooks.conftest import Verify, subscribe
from tests.webhooks.receiver import Receiver


async def stored(tenant: Tenant, webhook_id: str) -> tuple[str, str | None]:
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.reading() as uow:
            row = (
                await uow.session.execute(
                    select(WebhookSubscription.secret, WebhookSubscription.previous_secret).where(
                        WebhookSubscription.id == webhook_id
                    )
                )
            ).one()
            return row[0], row[1]
    finally:
        await db.dispose()


async def pinged_and_verified(
    tenant: Tenant, receiver: Receiver, verify: Verify, webhook_id: str, secret: str
) -> bool:
    answer = await tenant.api.post(f"/webhooks/{webhook_id}/ping")
    assert answer.status_code == 200 and answer.json()["success"] is True, answer.text
    item = receiver.received[-1]
    return verify(secret, item.headers, item.body)


async def test_secrets_are_sealed_at_rest_and_still_sign(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url)
    secret, previous = await stored(hooks, sub["id"])
    assert is_sealed(secret) and sub["secret"] not in secret and previous is None
    assert await pinged_and_verified(hooks, receiver, verify, sub["id"], sub["secret"])
    rotated = (await hooks.api.post(f"/webhooks/{sub['id']}/rotate-secret")).json()["secret"]
    secret, previous = await stored(hooks, sub["id"])
    assert previous is not None and is_sealed(secret) and is_sealed(previous)
    assert rotated not in secret + previous and sub["secret"] not in secret + previous
    assert await pinged_and_verified(hooks, receiver, verify, sub["id"], rotated)
    assert await pinged_and_verified(hooks, receiver, verify, sub["id"], sub["secret"])


async def test_a_secret_stored_in_clear_is_sealed_and_keeps_signing(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url)
    db = Database(hooks.server.settings.database_url)
    try:
        async with db.writing() as uow:  # as a database from before sealing holds it
            await uow.session.execute(
                update(WebhookSubscription)
                .where(WebhookSubscription.id == sub["id"])
                .values(secret=sub["secret"])
            )
            await uow.commit()
        assert await pinged_and_verified(hooks, receiver, verify, sub["id"], sub["secret"])
        async with db.writing() as uow:  # what `chargeyard serve` runs at start
            assert await seal_clear_secrets(uow, Sealer(secret_key(hooks.server.settings))) >= 1
            await uow.commit()
    finally:
        await db.dispose()
    secret, _ = await stored(hooks, sub["id"])
    assert is_sealed(secret)
    assert await pinged_and_verified(hooks, receiver, verify, sub["id"], sub["secret"])
