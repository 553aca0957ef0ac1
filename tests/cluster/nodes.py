"""Real Chargeyard nodes (`chargeyard serve` subprocesses) on one PostgreSQL database and one
Redis server, and a tenant whose API can be reached through any of them."""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import POSTGRES_ENV, fresh_database
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD
from tests.support.server import ChildServer, free_port

# Short enough that a dead node's stations read as disconnected within a few seconds.
CLUSTER_ENV = {
    "CHARGEYARD_CLUSTER_WORKER_TTL_S": "2",
    "CHARGEYARD_CLUSTER_HEARTBEAT_S": "0.3",
    "CHARGEYARD_CALL_TIMEOUT_S": "5",
    "CHARGEYARD_MESSAGE_LOG_FLUSH_S": "0.05",
}


@asynccontextmanager
async def cluster_database(tmp: Path) -> AsyncIterator[str]:
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"several nodes need PostgreSQL: set {POSTGRES_ENV} (scripts/start-postgres)")
    async with fresh_database(tmp) as url:
        await upgrade_async(url)  # once, before any node starts
        yield url


@asynccontextmanager
async def node(
    database_url: str, redis_url: str, name: str, args: tuple[str, ...] = ("--workers", "1")
) -> AsyncIterator[ChildServer]:
    env = CLUSTER_ENV | {"CHARGEYARD_REDIS_URL": redis_url, "CHARGEYARD_NODE_ID": name}
    server = ChildServer(database_url, free_port(), env, args)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@dataclass
class ClusterTenant:
    token: str
    database_url: str

    def api(self, server: ChildServer) -> httpx.AsyncClient:
        return http_client(
            base_url=f"{server.base_url}/api/v1",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )


async def cluster_tenant(database_url: str) -> ClusterTenant:
    db = Database(database_url)
    try:
        async with db.writing() as uow:
            org = await ensure_organization(uow.session, f"org-{uuid.uuid4().hex[:10]}")
            issued = await issue_token(uow.session, org.id, "admin", "test")
            await uow.commit()
    finally:
        await db.dispose()
    return ClusterTenant(issued.secret, database_url)


async def register(tenant: ClusterTenant, server: ChildServer, station_id: str) -> None:
    async with tenant.api(server) as api:
        response = await api.post("/stations", json={"id": station_id, "password": PASSWORD})
        assert response.status_code == 201, response.text


async def command(
    tenant: ClusterTenant, server: ChildServer, station_id: str, name: str, body: object
) -> tuple[int, dict[str, object]]:
    async with tenant.api(server) as api:
        response = await api.post(f"/stations/{station_id}/commands/{name}", json=body)
        return response.status_code, response.json()
