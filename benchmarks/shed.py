"""Shed handshakes: the server CPU a station's handshake costs when a busy worker answers it 503.

In a reconnect storm most attempts are shed (`protocol/handshake_slots.py`): beyond
`CHARGEYARD_WS_HANDSHAKE_CONCURRENCY` handshakes in progress a station is answered 503 with
Retry-After. This script runs a Chargeyard server in its own process (logging as `chargeyard
serve` does, to --log), holds every handshake slot, and has a client process send --attempts
WebSocket upgrade requests for `/ocpp/<id>` (--concurrency at a time), each on a new
connection. It prints the answers by status and the server process's CPU (user + system, less
its idle rate measured just before) per shed handshake.

    .venv/bin/python benchmarks/shed.py --attempts 5000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import multiprocessing
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uvicorn

from chargeyard.api.app import ChargeyardApp, create_app
from chargeyard.observability.logs import configure_logging
from chargeyard.protocol.tls import server_config
from chargeyard.settings import Settings
from chargeyard.storage.migrate import upgrade_async

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stations import free_port


def _request(port: int, station_id: str) -> bytes:
    key = base64.b64encode(secrets.token_bytes(16))
    return (
        f"GET /ocpp/{station_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n"
        f"Sec-WebSocket-Key: {key.decode()}\r\n\r\n"
    ).encode()


async def _attempt(port: int, station_id: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(_request(port, station_id))
        answer = await reader.read()  # the server closes after its answer
    finally:
        writer.close()
    return answer.split(b"\r\n", 1)[0].decode(errors="replace")


async def _storm(port: int, attempts: int, concurrency: int) -> collections.Counter[str]:
    statuses: collections.Counter[str] = collections.Counter()
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            statuses[await _attempt(port, f"SHED{index:06d}")] += 1

    await asyncio.gather(*(one(index) for index in range(attempts)))
    return statuses


def _client(
    port: int,
    attempts: int,
    concurrency: int,
    go: Any,
    out: Any,
) -> None:
    out.put("ready")  # imported and started: the server's CPU is read from here
    go.wait()
    out.put(asyncio.run(_storm(port, attempts, concurrency)))


async def _measure(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="chargeyard-shed-"))
    url = f"sqlite+aiosqlite:///{tmp / 'chargeyard.db'}"
    await upgrade_async(url)
    port = free_port()
    settings = Settings(database_url=url, host="127.0.0.1", port=port)
    configure_logging(settings.log_format, settings.log_level)
    app = create_app(settings)
    assert isinstance(app, ChargeyardApp) and app.station_endpoint is not None
    config = server_config(
        app, settings, host="127.0.0.1", port=port, log_level=settings.log_level, log_config=None
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn's flag has no event)
        await asyncio.sleep(0.05)
    slots = app.station_endpoint.slots
    while slots.take():  # every slot held: each handshake is shed
        pass
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    go = spawn.Event()
    client = spawn.Process(
        target=_client, args=(port, args.attempts, args.concurrency, go, results)
    )
    client.start()
    assert await asyncio.to_thread(results.get, True, 120) == "ready"
    # The server's own background work (its jobs' polls, its start-up's last leases) goes on
    # while it sheds: let the start-up finish, then read the idle rate and take it off.
    await asyncio.sleep(args.settle)
    idle_cpu, idle_started = time.process_time(), time.monotonic()
    await asyncio.sleep(args.settle)
    idle_rate = (time.process_time() - idle_cpu) / (time.monotonic() - idle_started)
    cpu = time.process_time()
    started = time.monotonic()
    go.set()
    statuses = await asyncio.to_thread(results.get, True, 900)
    elapsed = time.monotonic() - started
    spent = time.process_time() - cpu
    client.join()
    server.should_exit = True
    await serving
    shed = statuses.get("HTTP/1.1 503 Service Unavailable", 0)
    print(f"{args.attempts} handshakes in {elapsed:.1f} s, answers: {dict(statuses)}")
    net = max(0.0, spent - idle_rate * elapsed)
    print(
        f"server CPU {spent:.2f} s, {net:.2f} s above its idle {idle_rate:.1%} of a core: "
        f"{net / max(1, shed) * 1000:.3f} ms per shed handshake"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds before, twice")
    parser.add_argument("--log", default=os.devnull, help="where the server logs")
    args = parser.parse_args()
    with Path(args.log).open("a") as log:  # the server logs to stderr, as `serve` does
        os.dup2(log.fileno(), sys.stderr.fileno())
    asyncio.run(_measure(args))
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
