"""The offline rule across restarts and nodes: computed from the stored disconnect time, so a
server that was down while the threshold passed raises the alert when it starts; and two nodes
on one database raise it once."""

from datetime import datetime, timedelta
from pathlib import Path

from chargeyard.clock import utcnow
from chargeyard.simulator import SimulatedStation
from tests.alerts.conftest import alerts, wait_for_alert
from tests.cluster.leased_nodes import client_for, holders, node_settings, until
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.ocpp_client import PASSWORD
from tests.support.server import in_process_server


async def visit(ocpp_url: str, station_id: str) -> None:
    async with SimulatedStation(ocpp_url, station_id, password=PASSWORD) as station:
        assert await station.ensure_online()


async def disconnected_at(tenant: Tenant, station_id: str) -> str:
    async def away() -> bool:
        station = (await tenant.api.get(f"/stations/{station_id}")).json()
        return not station["connected"] and station["disconnected_at"] is not None

    await until(away)
    return str((await tenant.api.get(f"/stations/{station_id}")).json()["disconnected_at"])


async def test_a_server_started_after_the_threshold_passed_raises_the_alert(tmp: Path) -> None:
    async with fresh_database(tmp) as url:
        async with in_process_server(node_settings(url, "node-a")) as first:
            async for tenant in make_tenant(first):
                threshold = {"threshold_s": 60}
                await tenant.api.patch("/alert-rules/station-offline", json=threshold)
                station_id = tenant.unique("CP")
                body = {"id": station_id, "password": PASSWORD}
                assert (await tenant.api.post("/stations", json=body)).status_code == 201
                await visit(first.ocpp_url, station_id)
                went = await disconnected_at(tenant, station_id)
                assert await alerts(tenant, station_id=station_id) == []
                token = tenant.token

        def two_minutes_later() -> datetime:
            return utcnow() + timedelta(minutes=2)

        async with (
            in_process_server(node_settings(url, "node-a"), two_minutes_later) as second,
            client_for(second.base_url, token) as api,
        ):
            tenant.api = api
            raised = await wait_for_alert(tenant, status="Triggered", station_id=station_id)
    assert raised["name"] == "station-offline"
    assert raised["started_at"] == went
    assert raised["detail"] == {"threshold_s": 60}


async def test_two_nodes_raise_one_alert(tmp: Path) -> None:
    async with (
        fresh_database(tmp) as url,
        in_process_server(node_settings(url, "node-a")) as a,
        in_process_server(node_settings(url, "node-b")) as b,
    ):
        async for tenant in make_tenant(a):
            await tenant.api.patch("/alert-rules/station-offline", json={"threshold_s": 1})
            station_id = tenant.unique("CP")
            body = {"id": station_id, "password": PASSWORD}
            assert (await tenant.api.post("/stations", json=body)).status_code == 201
            await visit(b.ocpp_url, station_id)
            await wait_for_alert(tenant, status="Triggered", station_id=station_id)

            async def one_holder() -> bool:
                return (await holders(url)).get("alerts.evaluator") in ("node-a", "node-b")

            await until(one_holder)
            assert len(await alerts(tenant, station_id=station_id)) == 1
