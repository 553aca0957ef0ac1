"""Helpers for tests that run several nodes on one database."""

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select

from chargeyard.cluster.models import LeaseRow
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from tests.support.http import http_client
from tests.support.server import free_port

TTL_S = 2.0


def node_settings(database_url: str, node_id: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "port": free_port(),
        "node_id": node_id,
        "message_log_flush_s": 0.05,
        "webhooks_allow_private_targets": True,
        "cluster_lease_ttl_s": TTL_S,
        "events_poll_s": 0.1,
    }
    return Settings(**(values | overrides))


async def holders(database_url: str) -> dict[str, str]:
    """Lease name -> the node (without pid) holding it, for leases not expired."""
    db = Database(database_url)
    try:
        async with db.reading() as uow:
            rows = (await uow.session.execute(select(LeaseRow))).scalars().all()
    finally:
        await db.dispose()
    now = time.time()
    return {r.name: r.holder.split(":")[0] for r in rows if r.expires_at.timestamp() > now}


async def until(check: Callable[[], Any], within_s: float = 20.0) -> None:
    """Poll an async condition until it holds, failing after `within_s`."""
    deadline = time.monotonic() + within_s
    while not await check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def client_for(base_url: str, token: str) -> httpx.AsyncClient:
    return http_client(base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"})
