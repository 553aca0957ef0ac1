"""Command round-trip latency: REST request → station → answer → REST response.

Starts a Chargeyard server in-process on a fresh SQLite database, connects N stations (default
1,000; each a minimal 1.6 charge point that boots and answers every CALL), then sends commands
through `POST /api/v1/stations/{id}/commands/trigger-message` from a pool of concurrent clients
and prints p50/p99. Every command is audited as in production (two short write transactions).

    .venv/bin/python benchmarks/commands.py --stations 1000 --commands 3000 --concurrency 50

Across nodes: with `--redis-url` (and `--database-url` naming an empty PostgreSQL database) it
starts two servers in this process forming one cluster, connects the stations to the first and
sends every command through the second, so each one crosses the cluster bus:

    .venv/bin/python benchmarks/commands.py --database-url postgresql+asyncpg://.../empty \
        --redis-url redis://127.0.0.1:6379/0
"""

import argparse
import asyncio
import contextlib
import json
import random
import socket
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from chargeyard.api.app import create_app
from chargeyard.clock import utcnow
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.stations.service import StationDraft, StationService
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async

BOOT = {"chargePointVendor": "Bench", "chargePointModel": "Responder"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def prepare(database_url: str, count: int) -> tuple[str, list[str]]:
    await upgrade_async(database_url)
    db = Database(database_url)
    ids = [f"BENCH-{n:05d}" for n in range(count)]
    try:
        async with db.writing() as uow:
            org = await ensure_organization(uow.session, "bench")
            token = await issue_token(uow.session, org.id, "admin", "bench")
            service = StationService(uow, org.id, utcnow)
            for station_id in ids:
                await service.register(StationDraft(id=station_id, security_profile=0))
            await uow.commit()
    finally:
        await db.dispose()
    return token.secret, ids


async def responder(socket_: ClientConnection) -> None:
    """Answer every CSMS CALL with Accepted; ignore answers to our own CALLs."""
    async for raw in socket_:
        frame = json.loads(raw)
        if frame[0] == 2:
            await socket_.send(json.dumps([3, frame[1], {"status": "Accepted"}]))


async def station(
    ocpp_url: str, station_id: str, ready: asyncio.Event, stop: asyncio.Event
) -> None:
    async with connect(
        f"{ocpp_url}/{station_id}",
        subprotocols=["ocpp1.6"],
        open_timeout=60,
        ping_interval=None,  # type: ignore[list-item]
    ) as socket_:
        await socket_.send(json.dumps([2, "boot", "BootNotification", BOOT]))
        json.loads(await socket_.recv())
        ready.set()
        task = asyncio.create_task(responder(socket_))
        await stop.wait()
        task.cancel()


async def serve(
    args: argparse.Namespace, database_url: str, node_id: str
) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    port = free_port()
    settings = Settings(
        database_url=database_url,
        port=port,
        node_id=node_id,
        call_timeout_s=30,
        redis_url=args.redis_url,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), port=port, log_level=args.log_level, ws_ping_interval=None
        )
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn offers a flag, not an event)
        await asyncio.sleep(0.05)
    return server, serving, port


async def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(dir=args.tmp))
    database_url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    token, ids = await prepare(database_url, args.stations)
    servers = [await serve(args, database_url, "bench")]
    if args.redis_url:
        servers.append(await serve(args, database_url, "bench-2"))
        print("two nodes: stations on the first, commands through the second")
    port, api_port = servers[0][2], servers[-1][2]
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in ids]
    ocpp_url = f"ws://127.0.0.1:{port}/ocpp"
    started = time.perf_counter()
    stations = []
    for batch in range(0, len(ids), 100):
        for station_id, ready in zip(
            ids[batch : batch + 100], readies[batch : batch + 100], strict=True
        ):
            stations.append(asyncio.create_task(station(ocpp_url, station_id, ready, stop)))
        await asyncio.gather(*(r.wait() for r in readies[batch : batch + 100]))
    print(f"{len(ids)} stations connected and booted in {time.perf_counter() - started:.1f} s")

    latencies: list[float] = []
    failures = 0
    queue = list(range(args.commands))
    headers = {"Authorization": f"Bearer {token}"}
    body = {"message": "Heartbeat"}

    async def client(api: httpx.AsyncClient) -> None:
        nonlocal failures
        while queue:
            queue.pop()
            station_id = random.choice(ids)
            began = time.perf_counter()
            response = await api.post(f"/stations/{station_id}/commands/trigger-message", json=body)
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                failures += 1

    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{api_port}/api/v1", headers=headers, limits=limits, timeout=60
    ) as api:
        began = time.perf_counter()
        await asyncio.gather(*(client(api) for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(
        f"commands: {len(latencies)} to {len(ids)} connected stations, concurrency "
        f"{args.concurrency}, failures {failures}"
    )
    print(
        f"round trip p50 {p50:.1f} ms, p99 {p99:.1f} ms, throughput {len(latencies) / elapsed:.0f}/s"
    )
    stop.set()
    await asyncio.gather(*stations, return_exceptions=True)
    for server, serving, _port in reversed(servers):
        server.should_exit = True
        with contextlib.suppress(Exception):
            await serving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--tmp", default=None, help="Directory for the SQLite database.")
    parser.add_argument("--database-url", default=None, help="An empty database instead.")
    parser.add_argument(
        "--redis-url", default=None, help="Two nodes on this cluster bus (PostgreSQL only)."
    )
    parser.add_argument("--log-level", default="warning")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
