"""What a station was answered is on disk: SIGKILL the server mid-traffic, restart it on the same
database, and find every answered transaction and meter value there."""

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import WebSocketException

from chargeyard.settings import Settings
from tests.conftest import Tenant, make_tenant
from tests.protocol.conftest import BOOT
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD, raw_station
from tests.support.server import ChildServer, RunningServer, free_port

STATIONS = 4
KILL_AFTER_ANSWERS = 60
T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@dataclass
class Answered:
    """What the server answered one station before it died."""

    station_id: str
    started: set[int] = field(default_factory=set)
    stopped: dict[int, int] = field(default_factory=dict)
    readings: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class Traffic:
    answers: int = 0
    enough: asyncio.Event = field(default_factory=asyncio.Event)

    def count(self) -> None:
        self.answers += 1
        if self.answers >= KILL_AFTER_ANSWERS:
            self.enough.set()


def at(step: int) -> str:
    return (T0 + timedelta(seconds=step)).isoformat().replace("+00:00", "Z")


async def charge(url: str, answered: Answered, traffic: Traffic) -> None:
    """Sessions of Start, MeterValues and Stop until the server goes away."""
    steps = itertools.count()
    with contextlib.suppress(WebSocketException, OSError):
        async with raw_station(url, answered.station_id) as station:
            await station.ok("BootNotification", BOOT)
            while True:
                meter = next(steps) * 1000
                start = await station.ok(
                    "StartTransaction",
                    {
                        "connectorId": 1,
                        "idTag": "DURABLE",
                        "meterStart": meter,
                        "timestamp": at(meter),
                    },
                )
                tx_id = start["transactionId"]
                answered.started.add(tx_id)
                traffic.count()
                for n in range(1, 4):
                    reading = {"value": str(meter + n * 100), "unit": "Wh"}
                    await station.ok(
                        "MeterValues",
                        {
                            "connectorId": 1,
                            "transactionId": tx_id,
                            "meterValue": [{"timestamp": at(meter + n), "sampledValue": [reading]}],
                        },
                    )
                    answered.readings.setdefault(tx_id, []).append(reading["value"])
                    traffic.count()
                stop = {
                    "transactionId": tx_id,
                    "meterStop": meter + 500,
                    "timestamp": at(meter + 9),
                }
                await station.ok("StopTransaction", stop)
                answered.stopped[tx_id] = meter + 500
                traffic.count()


@asynccontextmanager
async def child_server(tmp: Path) -> AsyncIterator[tuple[ChildServer, Tenant]]:
    async with fresh_database(tmp) as url:
        child = ChildServer(url, free_port(), env={"CHARGEYARD_NODE_ID": "durable-node"})
        await child.start()
        tenants = make_tenant(
            RunningServer(child.base_url, child.ocpp_url, Settings(database_url=url))
        )
        try:
            yield child, await anext(tenants)
        finally:
            await tenants.aclose()
            await child.stop()


async def all_items(api: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = await api.get(path, params=params | {"limit": 1000})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"]), "more than one page"
    return list(body["items"])


async def test_answered_messages_survive_sigkill(tmp: Path) -> None:
    async with child_server(tmp) as (child, tenant):
        ids = [tenant.unique("DUR") for _ in range(STATIONS)]
        for station_id in ids:
            response = await tenant.api.post(
                "/stations", json={"id": station_id, "password": PASSWORD}
            )
            assert response.status_code == 201, response.text
        traffic = Traffic()
        answered = [Answered(station_id) for station_id in ids]
        chargers = [asyncio.create_task(charge(child.ocpp_url, a, traffic)) for a in answered]
        await asyncio.wait_for(traffic.enough.wait(), 60)
        await child.kill()
        await asyncio.wait_for(asyncio.gather(*chargers), 30)
        assert traffic.answers >= KILL_AFTER_ANSWERS
        assert any(a.stopped for a in answered), "the kill came before any session ended"

        await child.start()
        headers = {"Authorization": f"Bearer {tenant.token}"}
        async with http_client(base_url=f"{child.base_url}/api/v1", headers=headers) as api:
            for record in answered:
                await check_station(api, record)
            async with raw_station(child.ocpp_url, ids[0]) as station:
                assert (await station.ok("Heartbeat", {}))["currentTime"]
                detail = (await api.get(f"/stations/{ids[0]}")).json()
                assert detail["connected"] is True


async def check_station(api: httpx.AsyncClient, record: Answered) -> None:
    detail = (await api.get(f"/stations/{record.station_id}")).json()
    assert detail["connected"] is False, "a dead node's stations must not stay connected"
    transactions = {
        tx["id"]: tx for tx in await all_items(api, "/transactions", station_id=record.station_id)
    }
    assert record.started <= set(transactions)
    for tx_id, meter_stop in record.stopped.items():
        assert transactions[tx_id]["meter_stop_wh"] == meter_stop
        assert transactions[tx_id]["stopped_at"] is not None
    for tx_id, values in record.readings.items():
        stored = await all_items(api, f"/transactions/{tx_id}/meter-values")
        assert values == [v["value"] for v in stored][: len(values)]
