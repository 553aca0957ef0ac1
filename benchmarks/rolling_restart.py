"""Rolling restart of a two-node cluster: does any station get refused while a node drains?

Two `chargeyard serve` nodes (one worker each) on one PostgreSQL and one Redis, behind the
round-robin TCP load balancer of the tests (`tests/support/balancer.py`: a backend refusing the
TCP connection is skipped, as nginx's `proxy_next_upstream error` does). `--stations` simulated
stations (the bundled simulator's, 1.6 and 2.0.1 alternating, one connector, reconnecting with
its backoff: 1 s doubling to 30 s, jittered, 10 s handshake timeout) connect through it in waves
of `--wave`. Then node A gets SIGTERM (its closes paced at `--close-rate` a second) and is
started again once it has exited, then node B the same. Meanwhile remote commands (ClearCache
through the REST API, through the balancer, to random stations, `--command-concurrency` at a
time) run without pause.

Printed per node restarted: time from the SIGTERM until every station it held is back and
booted on the other node, the drain's length (until the process exited), failed attempts to
come online by reason (refused or unplaced connections, HTTP refusals such as 503, handshake
timeouts, sockets closed before the boot was answered), boots answered late (over 10 s) or not
at all, and the commands sent during the roll by HTTP status (409 is a station between nodes).

    eval "$(scripts/start-postgres)"; eval "$(scripts/start-redis)"
    .venv/bin/python benchmarks/rolling_restart.py --stations 2000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support
sys.path.insert(0, str(Path(__file__).resolve().parent))
from storm import prepare
from tests.support.balancer import Backend, RoundRobinBalancer, round_robin_balancer
from tests.support.databases import POSTGRES_ENV, fresh_database
from tests.support.redis import REDIS_ENV
from tests.support.rolling_fleet import RollingFleet
from tests.support.server import ChildServer, free_port

_LIMIT_S = 600.0


@dataclass
class Commands:
    """REST commands sent while the fleet runs: outcome by HTTP status, and round trips."""

    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    def snapshot(self) -> tuple[Counter[str], int]:
        return Counter(self.statuses), len(self.latencies)


def main() -> None:
    args = parse_args()
    database = os.environ.get(POSTGRES_ENV)
    redis_url = os.environ.get(REDIS_ENV)
    if not database or not redis_url:
        sys.exit(f"set {POSTGRES_ENV} and {REDIS_ENV} (scripts/start-postgres, start-redis)")
    asyncio.run(run(args, redis_url))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--wave", type=int, default=250, help="stations started at once")
    parser.add_argument("--drain", type=float, default=120.0, help="CHARGEYARD_SHUTDOWN_DRAIN_S")
    parser.add_argument(
        "--close-rate", type=float, default=20.0, help="CHARGEYARD_SHUTDOWN_CLOSE_RATE"
    )
    parser.add_argument("--command-concurrency", type=int, default=2)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds between phases")
    return parser.parse_args()


async def run(args: argparse.Namespace, redis_url: str) -> None:
    print(
        f"load average (1 min) at start: {os.getloadavg()[0]:.2f}; drain {args.drain:g} s, "
        f"closes paced at {args.close_rate:g}/s",
        flush=True,
    )
    password = secrets.token_urlsafe(18)
    key = secrets.token_hex(32)
    ids = [f"ROLL{n:05d}" for n in range(args.stations)]
    async with fresh_database(Path(tempfile.mkdtemp(prefix="rolling-"))) as database_url:
        began = time.monotonic()
        token = await prepare(database_url, ids, password, key, cold=False)
        print(f"prepared {len(ids)} stations in {time.monotonic() - began:.1f} s")
        nodes = {
            name: ChildServer(
                database_url,
                free_port(),
                {
                    "CHARGEYARD_REDIS_URL": redis_url,
                    "CHARGEYARD_NODE_ID": f"node-{name}",
                    "CHARGEYARD_SECRET_KEY": key,
                    "CHARGEYARD_SHUTDOWN_DRAIN_S": str(args.drain),
                    "CHARGEYARD_SHUTDOWN_CLOSE_RATE": str(args.close_rate),
                },
                ("--workers", "1"),
            )
            for name in ("a", "b")
        }
        await asyncio.gather(*(server.start() for server in nodes.values()))
        backends = {name: Backend("127.0.0.1", server.port) for name, server in nodes.items()}
        try:
            async with round_robin_balancer(list(backends.values())) as balancer:
                await roll(args, balancer, nodes, backends, ids, password, token)
        finally:
            for server in nodes.values():  # ChildServer.stop waits 10 s: a drain may take longer
                if server.process is not None and server.process.returncode is None:
                    server.process.terminate()
                    async with asyncio.timeout(args.drain + 30):
                        await server.process.wait()
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")


async def roll(
    args: argparse.Namespace,
    balancer: RoundRobinBalancer,
    nodes: dict[str, ChildServer],
    backends: dict[str, Backend],
    ids: list[str],
    password: str,
    token: str,
) -> None:
    fleet = RollingFleet(balancer.ocpp_url, ids, password)
    began = time.monotonic()
    for start in range(0, len(ids), args.wave):
        wave = ids[start : start + args.wave]
        fleet.start(wave)
        async with asyncio.timeout(_LIMIT_S):
            await fleet.wait_online(wave)
    print(
        f"calm start: {len(ids)} stations online in {time.monotonic() - began:.1f} s "
        f"(failed attempts {fleet.failure_count()}, placed {_placed(balancer, backends)})",
        flush=True,
    )
    commands = Commands()
    sender = asyncio.create_task(send_commands(balancer, token, ids, commands, args))
    try:
        for name in ("a", "b"):
            await asyncio.sleep(args.settle)  # the phases apart, not an outcome
            await restart(name, nodes[name], backends[name], balancer, fleet, commands)
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        await fleet.stop()
    latencies = sorted(commands.latencies)
    if latencies:
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
        print(
            f"commands over the whole run: {len(latencies)}, {dict(commands.statuses)}, "
            f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
        )


async def restart(
    name: str,
    server: ChildServer,
    backend: Backend,
    balancer: RoundRobinBalancer,
    fleet: RollingFleet,
    commands: Commands,
) -> None:
    """SIGTERM one node, wait until its stations are back elsewhere and it has exited, start it
    again; print what the roll cost."""
    moving = [sid for sid in fleet.stations if balancer.backend_of(f"/ocpp/{sid}") == backend]
    marks = fleet.marks()
    failures_before = fleet.failures()
    unplaced_before = balancer.placements.unplaced
    late_before = fleet.recorder.boots_late
    unanswered_before = fleet.recorder.boots_unanswered
    statuses_before, sent_before = commands.snapshot()
    assert server.process is not None
    stopped = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    exited = asyncio.create_task(server.process.wait())
    async with asyncio.timeout(_LIMIT_S):
        await fleet.wait_online(moving, since=marks)
    back_s = time.monotonic() - stopped
    async with asyncio.timeout(_LIMIT_S):
        await exited
    drained_s = time.monotonic() - stopped
    reasons: Counter[str] = Counter()
    for sid, failures in fleet.failures().items():
        for reason in failures[len(failures_before.get(sid, [])) :]:
            reasons[_kind(reason)] += 1
    statuses_after, sent_after = commands.snapshot()
    print(
        f"\n== SIGTERM node {name.upper()} holding {len(moving)} stations (load "
        f"{os.getloadavg()[0]:.1f})\n"
        f"   all {len(moving)} back and booted on the other node in {back_s:.1f} s; "
        f"node exited after {drained_s:.1f} s\n"
        f"   failed attempts to come online: {sum(reasons.values())} {dict(reasons)}; "
        f"unplaced by the balancer: {balancer.placements.unplaced - unplaced_before}\n"
        f"   boots answered late (>10 s): {fleet.recorder.boots_late - late_before}, "
        f"unanswered: {fleet.recorder.boots_unanswered - unanswered_before}\n"
        f"   commands during the roll: {sent_after - sent_before}, "
        f"{dict(statuses_after - statuses_before)}",
        flush=True,
    )
    began = time.monotonic()
    await server.start()
    print(f"   node {name.upper()} live again after {time.monotonic() - began:.1f} s", flush=True)


async def send_commands(
    balancer: RoundRobinBalancer,
    token: str,
    ids: list[str],
    commands: Commands,
    args: argparse.Namespace,
) -> None:
    """ClearCache to random stations through the balancer, without pause; a new connection per
    request so the balancer places each one (a kept-alive one would stay on a draining node)."""
    rng = random.Random(11)
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(
        base_url=f"{balancer.url}/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        limits=limits,
        timeout=60,
    ) as client:

        async def caller() -> None:
            while True:
                began = time.perf_counter()
                try:
                    response = await client.post(
                        f"/stations/{rng.choice(ids)}/commands/clear-cache", json={}
                    )
                    outcome = str(response.status_code)
                except httpx.HTTPError as error:
                    outcome = type(error).__name__
                commands.latencies.append(time.perf_counter() - began)
                commands.statuses[outcome] += 1

        await asyncio.gather(*(caller() for _ in range(args.command_concurrency)))


def _placed(balancer: RoundRobinBalancer, backends: dict[str, Backend]) -> dict[str, int]:
    return {name: balancer.placements.placed.get(b, 0) for name, b in backends.items()}


def _kind(reason: str) -> str:
    """A failure reason without its details, to count them by kind."""
    status = re.search(r"HTTP (\d{3})", reason)
    if status is not None:
        return f"HTTP {status.group(1)}"
    lowered = reason.lower()
    for marker in ("timed out", "refused", "closed", "reset"):
        if marker in lowered:
            return marker
    return reason[:60]


if __name__ == "__main__":
    main()
