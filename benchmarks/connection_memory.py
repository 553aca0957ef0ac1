"""Server memory per idle OCPP connection, with and without permessage-deflate.

Starts its own server on a fresh SQLite database (as `stations.py` does), registers the stations,
opens `--stations` WebSockets that each send a BootNotification and `--traffic-kib` of frames
(4 KiB CALLs of an unknown action, answered with a CALLERROR and logged: they fill the
decompressor's window as weeks of meter values would), and prints the server's RSS growth per
connection; once with clients that offer no compression, once with clients that offer
permessage-deflate (which many real stations' WebSocket libraries do), each on a fresh server.

The growth is measured over a second set of `--stations` connections opened while a first set
stays open: the first set warms what every connection shares (the verifiers' first Argon2
checks and their allocator arenas, the caches, the pools), and since nothing is closed before
the measurement, no freed memory is reused to flatter it.

    .venv/bin/python benchmarks/connection_memory.py --stations 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import tempfile
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from chargeyard.simulator import FleetConfig
from chargeyard.simulator.connection import basic_auth

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stations import own_server, register

_SETTLE_S = 3.0
_CONCURRENCY = 20


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def open_station(
    url: str, station_id: str, password: str, deflate: bool, traffic_kib: int
) -> ClientConnection:
    socket = await connect(
        f"{url}/{station_id}",
        subprotocols=[Subprotocol("ocpp1.6")],
        additional_headers={"Authorization": basic_auth(station_id, password)},
        compression="deflate" if deflate else None,
        ping_interval=None,
        proxy=None,
    )
    boot = {"chargePointVendor": "Chargeyard", "chargePointModel": "Memory probe"}
    await socket.send(json.dumps([2, secrets.token_hex(8), "BootNotification", boot]))
    await socket.recv()
    for _ in range(traffic_kib // 4):
        filler = {"data": secrets.token_urlsafe(3000)}  # 4 KiB of text, not very compressible
        await socket.send(json.dumps([2, secrets.token_hex(8), "MemoryProbe", filler]))
        await socket.recv()
    return socket


async def open_all(
    url: str, ids: list[str], password: str, deflate: bool, traffic_kib: int
) -> list[ClientConnection]:
    limit = asyncio.Semaphore(_CONCURRENCY)

    async def one(station_id: str) -> ClientConnection:
        async with limit:
            return await open_station(url, station_id, password, deflate, traffic_kib)

    return await asyncio.gather(*(one(station_id) for station_id in ids))


async def measure(
    url: str, pid: int, ids: list[str], password: str, deflate: bool, traffic_kib: int
) -> float:
    warm = await open_all(url, ids[: len(ids) // 2], password, deflate, traffic_kib)
    ids = ids[len(ids) // 2 :]
    await asyncio.sleep(_SETTLE_S)
    before = rss_mib(pid)
    sockets = await open_all(url, ids, password, deflate, traffic_kib)
    negotiated = sum(
        1
        for s in sockets
        if s.response
        and "permessage-deflate" in str(s.response.headers.get("Sec-WebSocket-Extensions", ""))
    )
    await asyncio.sleep(_SETTLE_S)
    after = rss_mib(pid)
    await asyncio.gather(*(socket.close() for socket in [*warm, *sockets]))
    per_kib = (after - before) * 1024 / len(ids)
    label = "permessage-deflate offered" if deflate else "no compression"
    print(
        f"{label:28} {len(ids)} connections ({negotiated} with deflate): RSS {before:.1f} -> "
        f"{after:.1f} MiB, {per_kib:.0f} KiB per connection"
    )
    return per_kib


async def run(args: argparse.Namespace, deflate: bool) -> None:
    password = secrets.token_urlsafe(18)
    config = FleetConfig(stations=2 * args.stations, prefix="MEM")
    with (
        tempfile.TemporaryDirectory(prefix="chargeyard-bench-") as tmp,
        own_server(Path(tmp)) as target,
    ):
        assert target.token is not None and target.pid is not None
        await register(target.api, target.token, config, password)
        ids = config.station_ids()
        await measure(target.url, target.pid, ids, password, deflate, args.traffic_kib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--traffic-kib", type=int, default=40, help="sent per connection")
    args = parser.parse_args()
    for deflate in (False, True):  # a fresh server each, so neither inherits the other's heap
        asyncio.run(run(args, deflate))


if __name__ == "__main__":
    main()
