"""Suite-wide fixtures: one real server per run; every test gets its own organization."""

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import select

from chargeyard.events.models import Event
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.payloads import fits
from tests.support.server import RunningServer, free_port, in_process_server

pytest_plugins = ["tests.support.watchdog"]

# CI (CI=true, as .ci/run is started) runs every property test on the same examples, derived
# from each test's own source: a red CI is then the code's, never the dice's. Elsewhere the
# examples vary from run to run, so developers keep exploring. HYPOTHESIS_PROFILE overrides;
# `pytest --hypothesis-seed=N` replays one random run.
hypothesis_settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=100, print_blob=True
)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    async with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
async def server(database_url: str) -> AsyncIterator[RunningServer]:
    settings = Settings(
        database_url=database_url,
        port=free_port(),
        node_id="test-node",
        call_timeout_s=5,
        message_log_flush_s=0.05,
        webhooks_allow_private_targets=True,
        # Tests share one server and one loopback address: the brute-force brakes are tested
        # on servers of their own (tests/security/test_brute_force.py).
        auth_max_failures=10_000,
        auth_address_max_failures=1_000_000,
        create_conflicts_per_window=10_000,
        # A read every 15 minutes would land in whichever test runs then; the tests that
        # need one run it (tests/load_management/test_external_constraints.py).
        smart_charging_constraints_read_period_s=None,
    )
    async with in_process_server(settings) as running:
        yield running


@dataclass
class Tenant:
    organization_id: str
    name: str
    token: str
    api: httpx.AsyncClient
    server: RunningServer

    def unique(self, prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def make_tenant(server: RunningServer, role: str = "admin") -> AsyncIterator[Tenant]:
    name = f"org-{uuid.uuid4().hex[:10]}"
    db = Database(server.settings.database_url)
    try:
        async with db.writing() as uow:
            org = await ensure_organization(uow.session, name)
            issued = await issue_token(uow.session, org.id, role, "test")
            await uow.commit()
    finally:
        await db.dispose()
    headers = {"Authorization": f"Bearer {issued.secret}"}
    # Above the server's own command timeout: on a loaded CI machine a command's round trip
    # through a simulated station takes seconds, and httpx's default 5 s would fail the test.
    async with http_client(
        base_url=f"{server.base_url}/api/v1", headers=headers, timeout=60
    ) as api:
        yield Tenant(org.id, name, issued.secret, api, server)
    await check_payloads(server, org.id)


async def check_payloads(server: RunningServer, organization_id: str) -> None:
    """Every event the test's organization recorded fits its payload type
    (`events/payloads.py`): each test that drives an emitter checks its payloads for free."""
    db = Database(server.settings.database_url)
    try:
        async with db.reading() as uow:
            rows = await uow.session.execute(
                select(Event.type, Event.data)
                .where(Event.organization_id == organization_id)
                .order_by(Event.seq)
            )
            recorded = [(type, dict(data)) for type, data in rows]
    finally:
        await db.dispose()
    for type, data in recorded:
        fits(type, data)


@pytest.fixture
async def tenant(server: RunningServer) -> AsyncIterator[Tenant]:
    async for made in make_tenant(server):
        yield made


@pytest.fixture
async def other_tenant(server: RunningServer) -> AsyncIterator[Tenant]:
    async for made in make_tenant(server):
        yield made


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    return tmp_path
