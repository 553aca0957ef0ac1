"""The SSRF guard: which addresses a webhook may reach, checked at creation and at delivery."""

import asyncio
import ipaddress
from collections.abc import AsyncIterator

import pytest

from chargeyard.storage.database import Database
from chargeyard.webhooks.models import WebhookSubscription
from chargeyard.webhooks.signing import new_secret
from chargeyard.webhooks.targets import TargetRefused, check_target, is_public
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.server import RunningServer, in_process_server
from tests.webhooks.conftest import fast_settings
from tests.webhooks.receiver import Receiver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


async def test_check_target_refuses_private_hosts_unless_allowed() -> None:
    for url in ("http://localhost:8080/x", "http://127.0.0.1/x", "https://[::1]/x"):
        with pytest.raises(TargetRefused):
            await check_target(url, allow_private=False)
        assert (await check_target(url, allow_private=True)).host in (
            "localhost",
            "127.0.0.1",
            "::1",
        )
    with pytest.raises(TargetRefused):
        await check_target("gopher://example.com/", allow_private=True)


@pytest.fixture(scope="module")
async def strict_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningServer]:
    settings_overrides = {"webhooks_allow_private_targets": False, "node_id": "strict-node"}
    async with (
        fresh_database(tmp_path_factory.mktemp("strict")) as url,
        in_process_server(fast_settings(url, **settings_overrides)) as running,
    ):
        yield running


@pytest.fixture
async def strict(strict_server: RunningServer) -> AsyncIterator[Tenant]:
    async for made in make_tenant(strict_server):
        yield made


async def test_private_targets_are_refused_at_creation(strict: Tenant, receiver: Receiver) -> None:
    for url in (
        receiver.url,
        "http://localhost/hooks",
        "http://10.0.0.8/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:9/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
    ):
        answer = await strict.api.post("/webhooks", json={"url": url, "events": ["*"]})
        assert answer.status_code == 422, (url, answer.text)
        assert "non-public" in answer.json()["detail"]
    subscription = (await strict.api.post("/webhooks", json={"url": "http://1.1.1.1/"})).json()
    moved = await strict.api.patch(
        f"/webhooks/{subscription['id']}", json={"url": "http://127.0.0.1:1/"}
    )
    assert moved.status_code == 422
    assert receiver.received == []


async def test_private_targets_are_refused_again_at_delivery(
    strict: Tenant, receiver: Receiver
) -> None:
    """A target that turned private after it was saved (say, by DNS) is not reached."""
    db = Database(strict.server.settings.database_url)
    try:
        async with db.writing() as uow:
            sub = WebhookSubscription(
                organization_id=strict.organization_id,
                url=receiver.url,
                events=["id_tag.*"],
                enabled=True,
                secret=new_secret(),
                after_seq=0,
                revision=1,
            )
            uow.session.add(sub)
            await uow.commit()
    finally:
        await db.dispose()
    assert (await strict.api.post("/id-tags", json={"value": "SSRF-1"})).status_code == 201
    for _ in range(1500):
        log = (await strict.api.get(f"/webhooks/{sub.id}/deliveries")).json()["items"]
        if log:
            break
        await asyncio.sleep(0.02)
    assert log and log[-1]["error"].startswith("refused:") and log[-1]["success"] is False
    assert receiver.received == []
