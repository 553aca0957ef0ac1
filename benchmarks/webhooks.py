"""Webhook benchmark: events/s delivered to one receiver, and OCPP-message-to-webhook latency.

Runs a real Chargeyard server and a real receiver on loopback, with a throwaway SQLite database
(or `--database-url`). Usage: `.venv/bin/python benchmarks/webhooks.py [--events 2000]`.

1. Throughput: N events are committed at once (as a burst of station traffic would), spread over
   1 station (one ordered lane) and over 20 stations (20 lanes); the figure is N divided by the
   time from the commit to the last delivery.
2. Latency: one station sends StatusNotifications one at a time; each yields a
   `connector.status_changed` webhook; the figure is send-to-arrival time (p50, p99).
"""

import argparse
import asyncio
import base64
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp
from websockets.asyncio.client import connect

from chargeyard.api.app import create_app
from chargeyard.clock import utcnow
from chargeyard.events.payloads import STATION_DATA_TRANSFER, StationDataTransfer
from chargeyard.events.recorder import record_event
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async

PASSWORD = "benchmark-station-password"


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.bodies: dict[str, dict[str, object]] = {}
        self.changed = asyncio.Event()

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        message_id = request.headers["webhook-id"]
        self.arrivals.setdefault(message_id, time.perf_counter())
        self.bodies[message_id] = json.loads(body)
        self.changed.set()
        return Response(status_code=204)

    async def wait_count(self, count: int, within: float = 300) -> None:
        deadline = time.monotonic() + within
        while len(self.arrivals) < count:
            self.changed.clear()
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(self.arrivals)} of {count} arrived")
            async with asyncio.timeout(max(0.01, deadline - time.monotonic())):
                await self.changed.wait()


@asynccontextmanager
async def serving(app: ASGIApp, port: int) -> AsyncIterator[None]:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws_ping_interval=None
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await task


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def organization(db: Database) -> tuple[str, str]:
    async with db.writing() as uow:
        org = await ensure_organization(uow.session, "benchmark")
        issued = await issue_token(uow.session, org.id, "admin", "benchmark")
        await uow.commit()
    return org.id, issued.secret


async def burst(db: Database, organization_id: str, count: int, stations: int) -> list[str]:
    async with db.writing() as uow:
        events = [
            record_event(
                uow,
                organization_id=organization_id,
                kind=STATION_DATA_TRANSFER,
                occurred_at=utcnow(),
                station_id=f"BENCH-{n % stations}",
                data=StationDataTransfer(
                    station_id=f"BENCH-{n % stations}",
                    vendor_id="bench",
                    message_id=None,
                    data=str(n),
                ),
            )
            for n in range(count)
        ]
        await uow.commit()
    return [e.id for e in events]


async def throughput(
    db: Database, receiver: Receiver, org: str, count: int, stations: int
) -> float:
    already = len(receiver.arrivals)
    started = time.perf_counter()
    await burst(db, org, count, stations)
    await receiver.wait_count(already + count)
    return count / (time.perf_counter() - started)


async def latency(ocpp_url: str, receiver: Receiver, samples: int) -> list[float]:
    auth = base64.b64encode(f"BENCH-OCPP:{PASSWORD}".encode()).decode()
    delays = []
    async with connect(
        f"{ocpp_url}/BENCH-OCPP",
        subprotocols=["ocpp1.6"],  # type: ignore[list-item]
        additional_headers={"Authorization": f"Basic {auth}"},
    ) as socket:
        await socket.send(
            json.dumps(
                [2, "boot", "BootNotification", {"chargePointVendor": "B", "chargePointModel": "B"}]
            )
        )
        await socket.recv()
        for n in range(samples):
            status = "Charging" if n % 2 else "Available"
            before = len(receiver.arrivals)
            sent = time.perf_counter()
            frame = [
                2,
                f"s{n}",
                "StatusNotification",
                {"connectorId": 1, "errorCode": "NoError", "status": status},
            ]
            await socket.send(json.dumps(frame))
            await socket.recv()
            await receiver.wait_count(before + 1, within=30)
            arrived = max(receiver.arrivals.values())
            delays.append((arrived - sent) * 1000)
    return delays


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def main(events: int, samples: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade_async(url)
        port, hook_port = free_port(), free_port()
        settings = Settings(
            database_url=url, port=port, node_id="bench", webhooks_allow_private_targets=True
        )
        receiver = Receiver()
        hooks = Starlette(routes=[Route("/hooks", receiver.handle, methods=["POST"])])
        db = Database(url)
        org, token = await organization(db)
        async with serving(hooks, hook_port), serving(create_app(settings), port):
            api = httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}/api/v1",
                headers={"Authorization": f"Bearer {token}"},
            )
            answer = await api.post(
                "/webhooks", json={"url": f"http://127.0.0.1:{hook_port}/hooks"}
            )
            answer.raise_for_status()
            await api.post("/stations", json={"id": "BENCH-OCPP", "password": PASSWORD})
            one_lane = await throughput(db, receiver, org, events, stations=1)
            many_lanes = await throughput(db, receiver, org, events, stations=20)
            delays = await latency(f"ws://127.0.0.1:{port}/ocpp", receiver, samples)
            await api.aclose()
        await db.dispose()
    print(f"database: {url.split(':', 1)[0]}")
    print(f"throughput, 1 station (one ordered lane): {one_lane:,.0f} events/s ({events} events)")
    print(f"throughput, 20 stations:                  {many_lanes:,.0f} events/s ({events} events)")
    print(
        f"OCPP StatusNotification -> webhook latency over {samples} messages: "
        f"p50 {percentile(delays, 50):.1f} ms, p99 {percentile(delays, 99):.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.samples, arguments.database_url))
