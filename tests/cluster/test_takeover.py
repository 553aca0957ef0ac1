"""Jobs that run once in the cluster: two real nodes on one database, one of them runs each job,
and the other takes over when the holder stops or dies."""

import asyncio
import json
from functools import partial
from pathlib import Path

import httpx

from chargeyard.alerts.evaluator import LEASE as ALERTS
from chargeyard.load_management.controller import lease_name
from chargeyard.reconciliation.job import LEASE as RECONCILIATION
from chargeyard.reservations.expiry import LEASE as EXPIRY
from chargeyard.settings import Settings
from chargeyard.webhooks.dispatcher import FAN_OUT_LEASE
from tests.cluster.leased_nodes import TTL_S, client_for, holders, node_settings, until
from tests.conftest import make_tenant
from tests.support.databases import fresh_database
from tests.support.server import ChildServer, RunningServer, free_port, in_process_server

JOBS = (FAN_OUT_LEASE, EXPIRY, ALERTS, RECONCILIATION)


async def optimize(api: httpx.AsyncClient, circuit_id: str) -> httpx.Response:
    return await api.post(f"/circuits/{circuit_id}/optimize")


async def test_one_node_controls_an_organization_until_it_stops(tmp: Path) -> None:
    # Nothing here waits for a lease to expire (node-a gives its leases up as it stops): a long
    # lease keeps a renewal late on a loaded machine from handing node-a's leases over early.
    ttl = {"cluster_lease_ttl_s": 9.0}
    async with (
        fresh_database(tmp) as url,
        in_process_server(node_settings(url, "node-b", **ttl)) as b,
    ):
        async with in_process_server(node_settings(url, "node-a", **ttl)) as a:
            async for tenant in make_tenant(a):
                made = await tenant.api.post("/circuits", json={"name": "x", "max_power_kw": 5})
                assert made.status_code == 201, made.text
                circuit_id = made.json()["id"]
                assert (await optimize(tenant.api, circuit_id)).status_code == 200
                async with client_for(b.base_url, tenant.token) as via_b:
                    refused = await optimize(via_b, circuit_id)
                    assert refused.status_code == 409, refused.text
                    assert refused.headers["content-type"] == "application/problem+json"
                    lease = lease_name(tenant.organization_id)
                    assert (await holders(url))[lease] == "node-a"
        # node-a has stopped and given its leases up: node-b takes them
        async with client_for(b.base_url, tenant.token) as via_b:

            async def b_controls() -> bool:
                return (await optimize(via_b, circuit_id)).status_code == 200

            await until(b_controls)
        await until(lambda: _all_held_by(url, "node-b", JOBS))


async def test_a_killed_nodes_jobs_move_to_the_survivor(tmp: Path) -> None:
    async with fresh_database(tmp) as url:
        env = {
            "CHARGEYARD_NODE_ID": "node-a",
            "CHARGEYARD_CLUSTER_LEASE_TTL_S": json.dumps(TTL_S),
            "CHARGEYARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
            "CHARGEYARD_LOG_LEVEL": "warning",
        }
        a = ChildServer(url, free_port(), env)
        try:
            await a.start()
            await until(lambda: _all_held_by(url, "node-a", JOBS))
            async with in_process_server(node_settings(url, "node-b")) as b:
                running_a = RunningServer(a.base_url, a.ocpp_url, Settings(database_url=url))
                async for tenant in make_tenant(running_a):
                    made = await tenant.api.post("/circuits", json={"name": "x", "max_power_kw": 5})
                    circuit_id = made.json()["id"]
                    assert (await optimize(tenant.api, circuit_id)).status_code == 200
                    lease = lease_name(tenant.organization_id)
                    async with client_for(b.base_url, tenant.token) as via_b:
                        for _ in range(3):
                            # Span a lease period with both alive (node-b asking all along);
                            # the checks hold whenever they run, so timing decides nothing.
                            await asyncio.sleep(TTL_S)
                            assert (await optimize(via_b, circuit_id)).status_code == 409
                            assert await _all_held_by(url, "node-a", (*JOBS, lease))
                        await a.kill()  # no goodbye: its leases must expire
                        await until(partial(_controls, via_b, circuit_id))
                    await until(partial(_all_held_by, url, "node-b", (*JOBS, lease)))
        finally:
            await a.stop()


async def _controls(api: httpx.AsyncClient, circuit_id: str) -> bool:
    return (await optimize(api, circuit_id)).status_code == 200


async def _all_held_by(url: str, node: str, names: tuple[str, ...]) -> bool:
    found = await holders(url)
    return all(found.get(name) == node for name in names)
