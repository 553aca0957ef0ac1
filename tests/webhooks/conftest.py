"""Webhook fixtures: a server with a millisecond retry schedule, a receiver, the documented verifier."""

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from chargeyard.settings import Settings
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.server import RunningServer, free_port, in_process_server
from tests.webhooks.receiver import Receiver, running_receiver

DOCS = Path(__file__).parents[2] / "docs" / "webhooks.md"
FAST_SCHEDULE = [0.05, 0.1, 0.2, 0.4, 0.8]

Verify = Callable[[str, dict[str, str], bytes], bool]


def fast_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "port": free_port(),
        "node_id": "webhook-test-node",
        "message_log_flush_s": 0.05,
        "webhooks_allow_private_targets": True,
        "webhooks_retry_schedule_s": FAST_SCHEDULE,
        "webhooks_timeout_s": 0.5,
        "webhooks_poll_s": 0.05,
    }
    return Settings(**(values | overrides))


@pytest.fixture(scope="session")
async def fast_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningServer]:
    async with (
        fresh_database(tmp_path_factory.mktemp("webhooks")) as url,
        in_process_server(fast_settings(url)) as running,
    ):
        yield running


@pytest.fixture
async def hooks(fast_server: RunningServer) -> AsyncIterator[Tenant]:
    """A fresh organization on the fast-retrying server."""
    async for made in make_tenant(fast_server):
        yield made


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running


@pytest.fixture(scope="session")
def verify() -> Verify:
    """The `verify` function exactly as docs/webhooks.md shows it to receivers."""
    snippet = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert snippet is not None, "docs/webhooks.md lost its Python snippet"
    namespace: dict[str, Any] = {}
    exec(snippet.group(1), namespace)  # the documented snippet is what we test
    function: Verify = namespace["verify"]
    return function


async def subscribe(tenant: Tenant, url: str, events: list[str] | None = None) -> dict[str, Any]:
    answer = await tenant.api.post("/webhooks", json={"url": url, "events": events or ["*"]})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.fixture
async def fast_other(fast_server: RunningServer) -> AsyncIterator[Tenant]:
    """A second organization on the fast server, for isolation checks."""
    async for made in make_tenant(fast_server):
        yield made
