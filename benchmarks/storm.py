"""Reconnect storm: how long a fleet takes to be back and booted after the server restarts.

N OCPP 1.6 stations (raw WebSocket clients in `--loaders` processes, HTTP Basic auth) connect
to a `chargeyard serve` this script starts, boot and report a connector. Then, for each mode in
`--restart`, the server is stopped and started again on the same database while every station
reconnects as the bundled simulator does (`simulator/reconnect.py`): first wait 1 s, doubling
to at most 30 s, each wait jittered by +/-50 %, a 10 s handshake timeout, a 30 s answer
timeout. A station counts as back when its BootNotification is answered after the stop.

- `kill`: SIGKILL to every server process, then a new server at once (a crash, an OOM kill).
- `term`: SIGTERM, wait for the server to exit (its drain: `CHARGEYARD_SHUTDOWN_DRAIN_S`), then
  a new server (a deploy). The drain's length is printed.

Printed per restart: time to every station back and booted (from the stop), the quantiles of
the stations' return, failed handshakes by kind (timeout, refused, HTTP status), boots answered
late (over 10 s) or not at all (30 s), the server's RSS after the storm against after the calm
start, and the ERROR lines and tracebacks in the server's log.

    .venv/bin/python benchmarks/storm.py --stations 2000
    .venv/bin/python benchmarks/storm.py --stations 10000 --commands 2000 --restart kill

With `--commands N`, N remote commands (TriggerMessage through the REST API, to random
stations, `--command-concurrency` at a time) run after the calm start: their round-trip p50/p99
with every station connected.
    .venv/bin/python benchmarks/storm.py --stations 10000 --restart kill,term

On PostgreSQL with the cluster bus (two workers), on an empty database:

    .venv/bin/python benchmarks/storm.py --stations 10000 --workers 2 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:54341/storm \\
        --redis-url redis://127.0.0.1:6379/0

With `--second-node` (PostgreSQL and Redis only) a second `chargeyard serve --workers 1` joins
the cluster on its own port, no station connects to it, and the `--commands` go through its
REST API: each crosses the cluster bus to the node holding the station and back.

Preparation writes the stations straight through the services, all with one password hash
and, unless `--cold`, with the fast password verifier a first connection would have stored
(`security/verifiers.py`), under a secret key the script gives the server: the state of a
fleet that has connected before. `--cold` leaves the verifiers out, so the calm start pays an
Argon2 check per station (about 20 ms of a core each); the restarts after it do not.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import multiprocessing
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.sharedctypes import SynchronizedArray
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import bindparam, update
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from saturation import cpu_seconds, process_tree, rss_mib, used

from chargeyard.clock import utcnow
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.security.passwords import hash_password
from chargeyard.security.verifiers import password_verifier
from chargeyard.stations.models import Station
from chargeyard.stations.service import StationDraft, StationService
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from stations import chargeyard, free_port

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
HANDSHAKE_TIMEOUT_S = 10.0
ANSWER_TIMEOUT_S = 30.0
LATE_S = 10.0
_STARTUP_S = 120.0
_STORM_LIMIT_S = 600.0
_BATCH = 500

# Per-loader counters (one row of _COUNTERS per loader process in a shared array).
_COUNTERS = (
    "connected",
    "handshake_timeouts",
    "refused",
    "http_refusals",
    "other_failures",
    "boots_late",
    "boots_unanswered",
    "dropped",
)
_BOOT = '[2,"%s","BootNotification",{"chargePointVendor":"Bench","chargePointModel":"Storm"}]'
_STATUS = (
    '[2,"%s","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]'
)


@dataclass
class Shared:
    """What loaders and the parent share: each station's last answered boot, its latency,
    the loaders' counters, and the stop flag."""

    booted_at: SynchronizedArray[float]
    boot_latency: SynchronizedArray[float]
    counters: SynchronizedArray[int]
    stop: Event


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="storm-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'storm.db'}"
    password = secrets.token_urlsafe(18)
    key = secrets.token_hex(32)
    ids = [f"STORM{n:05d}" for n in range(args.stations)]
    started = time.monotonic()
    token = asyncio.run(prepare(database_url, ids, password, key, cold=args.cold))
    print(f"prepared {len(ids)} stations in {time.monotonic() - started:.1f} s ({tmp})")

    env = os.environ | {
        "CHARGEYARD_DATABASE_URL": database_url,
        "CHARGEYARD_SECRET_KEY": key,
        "CHARGEYARD_SHUTDOWN_DRAIN_S": str(args.drain),
    }
    if args.redis_url:
        env["CHARGEYARD_REDIS_URL"] = args.redis_url
    port = free_port()
    server = Server(env, port, args.workers, tmp)
    shared = Shared(
        booted_at=multiprocessing.Array("d", len(ids), lock=False),  # type: ignore[arg-type]
        boot_latency=multiprocessing.Array("d", len(ids), lock=False),  # type: ignore[arg-type]
        counters=multiprocessing.Array(  # type: ignore[arg-type]
            "q", args.loaders * len(_COUNTERS), lock=False
        ),
        stop=multiprocessing.Event(),
    )
    url = f"ws://127.0.0.1:{port}/ocpp"
    loaders = [
        multiprocessing.Process(
            target=run_loader,
            args=(url, ids[n :: args.loaders], n, args.loaders, password, shared),
            daemon=True,
        )
        for n in range(args.loaders)
    ]
    relay = None
    if args.second_node:
        if not args.redis_url or not args.database_url:
            sys.exit("--second-node needs --redis-url and a PostgreSQL --database-url")
        relay = Server(env, free_port(), 1, tmp, "second-node.log")
    server.start()
    try:
        if relay is not None:
            relay.start()
        print(f"calm start: {len(ids)} stations connecting to {url}")
        begin = time.time()
        cpu = server.cpu()
        for loader in loaders:
            loader.start()
        calm = wait_back(shared, begin, len(ids), server)
        report("calm start", calm, shared, begin, None, server, None, server.cpu_since(cpu))
        calm_rss = server.rss()
        if args.commands:
            via, route = (server, "") if relay is None else (relay, " through the second node")
            asyncio.run(commands(via, token, ids, args.commands, args.command_concurrency, route))
        for mode in filter(None, args.restart.split(",")):
            time.sleep(args.settle)
            before = counters(shared)
            stopped = time.time()
            log_mark = server.log_size()
            drained, cpu = server.restart(mode)
            back = wait_back(shared, stopped, len(ids), server)
            spent = server.cpu_since(cpu)
            idle = server.cpu()
            time.sleep(args.settle)
            print(
                f"   idle server CPU after it: {server.cpu_since(idle) / args.settle:.0%} of a core"
            )
            report(
                f"after {mode.upper()}",
                back,
                shared,
                stopped,
                before,
                server,
                (calm_rss, drained, log_mark),
                spent,
            )
    finally:
        shared.stop.set()
        for loader in loaders:
            loader.join(timeout=15)
            if loader.is_alive():
                loader.kill()
        server.stop()
        if relay is not None:
            relay.stop()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--restart", default="kill,term", help="kill, term, or both in order")
    parser.add_argument("--loaders", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=1, help="chargeyard serve --workers")
    parser.add_argument("--database-url", help="an empty database (default: a fresh SQLite)")
    parser.add_argument("--redis-url", help="CHARGEYARD_REDIS_URL for the server")
    parser.add_argument("--drain", type=float, default=30.0, help="CHARGEYARD_SHUTDOWN_DRAIN_S")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds between phases")
    parser.add_argument("--cold", action="store_true", help="no stored verifiers at the start")
    parser.add_argument(
        "--commands", type=int, default=0, help="remote commands sent after the calm start"
    )
    parser.add_argument("--command-concurrency", type=int, default=1)
    parser.add_argument(
        "--second-node",
        action="store_true",
        help="send the commands through a second node of the cluster (see the docstring)",
    )
    return parser.parse_args()


# -- preparation -------------------------------------------------------------------------


async def prepare(database_url: str, ids: list[str], password: str, key: str, cold: bool) -> str:
    """The stations, through the services; then one shared password hash and, unless cold,
    each station's verifier, as a first connection would have stored it."""
    await upgrade_async(database_url)
    db = Database(database_url)
    try:
        async with db.writing() as uow:
            org = await ensure_organization(uow.session, "storm")
            token = await issue_token(uow.session, org.id, "admin", "storm")
            await uow.commit()
        for start in range(0, len(ids), _BATCH):
            async with db.writing() as uow:
                service = StationService(uow, org.id, utcnow)
                for station_id in ids[start : start + _BATCH]:
                    await service.register(StationDraft(id=station_id, security_profile=1))
                await uow.commit()
        hashed = await hash_password(password)
        rows = [
            {
                "sid": station_id,
                "verifier": None
                if cold
                else password_verifier(key.encode(), station_id, hashed, password),
            }
            for station_id in ids
        ]
        statement = (
            update(Station)
            .where(Station.id == bindparam("sid"))
            .values(password_hash=hashed, password_verifier=bindparam("verifier"))
        )
        async with db.writing() as uow:
            connection = await uow.session.connection()
            await connection.execute(statement, rows)
            await uow.commit()
    finally:
        await db.dispose()
    return token.secret


# -- the server --------------------------------------------------------------------------


class Server:
    """`chargeyard serve` in its own process group, so a SIGKILL reaches every worker."""

    def __init__(
        self, env: dict[str, str], port: int, workers: int, tmp: Path, log: str = "server.log"
    ) -> None:
        self.env = env
        self.port = port
        self.workers = workers
        self.log_path = tmp / log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [*chargeyard(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + _STARTUP_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"server exited:\n{self.log_path.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{self.port}/health/live", timeout=2).is_success:
                    return
            time.sleep(0.1)
        sys.exit(f"server not live after {_STARTUP_S:.0f} s")

    def restart(self, mode: str) -> tuple[float | None, dict[int, float]]:
        """Stop (SIGKILL or SIGTERM), then start again: the drain's length for a SIGTERM, and
        the new server's CPU reading once it is live (its start-up is not the storm's work)."""
        assert self.process is not None
        if mode == "kill":
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.start()
            return None, self.cpu()
        if mode != "term":
            sys.exit(f"unknown restart mode {mode!r}")
        began = time.monotonic()
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()
        drained = time.monotonic() - began
        self.start()
        return drained, self.cpu()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def rss(self) -> float:
        assert self.process is not None
        return rss_mib([self.process.pid])

    def cpu(self) -> dict[int, float]:
        assert self.process is not None
        return cpu_seconds([self.process.pid])

    def cpu_since(self, before: dict[int, float]) -> float:
        assert self.process is not None
        return used(before, cpu_seconds([self.process.pid]))

    def processes(self) -> int:
        assert self.process is not None
        return len(process_tree([self.process.pid]))

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")


# -- remote commands ---------------------------------------------------------------------


async def commands(
    server: Server, token: str, ids: list[str], count: int, concurrency: int, route: str = ""
) -> None:
    """TriggerMessage(Heartbeat) through the REST API to random connected stations: the round
    trip REST request, station CALL, station answer, REST answer (each audited as usual)."""
    rng = random.Random(7)
    latencies: list[float] = []
    failures: dict[int, int] = {}
    remaining = [count]
    headers = {"Authorization": f"Bearer {token}"}
    api = f"http://127.0.0.1:{server.port}/api/v1"

    async def caller(client: httpx.AsyncClient) -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            station_id = rng.choice(ids)
            began = time.perf_counter()
            answer = await client.post(
                f"/stations/{station_id}/commands/trigger-message", json={"message": "Heartbeat"}
            )
            latencies.append(time.perf_counter() - began)
            if answer.status_code != 200:
                failures[answer.status_code] = failures.get(answer.status_code, 0) + 1

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=api, headers=headers, limits=limits, timeout=60) as c:
        began = time.perf_counter()
        await asyncio.gather(*(caller(c) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"\n== {count} remote commands to {len(ids)} connected stations{route},"
        f" {concurrency} at a time:"
        f" p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms,"
        f" max {latencies[-1] * 1000:.0f} ms, {count / elapsed:.0f}/s, failures {failures or 0}"
    )


# -- measuring ---------------------------------------------------------------------------


def wait_back(shared: Shared, since: float, total: int, server: Server) -> list[float]:
    """Poll until every station's boot was answered after `since`; their return times."""
    deadline = time.monotonic() + _STORM_LIMIT_S
    last_print = 0.0
    while True:
        back = [at - since for at in shared.booted_at if at > since]
        now = time.monotonic()
        if len(back) == total or now > deadline:
            return sorted(back)
        if now - last_print >= 5:
            last_print = now
            print(f"  {time.time() - since:6.1f} s: {len(back)}/{total} back", flush=True)
        time.sleep(0.25)


def counters(shared: Shared) -> dict[str, int]:
    totals = dict.fromkeys(_COUNTERS, 0)
    width = len(_COUNTERS)
    for index, value in enumerate(shared.counters):
        totals[_COUNTERS[index % width]] += value
    return totals


def report(
    title: str,
    back: list[float],
    shared: Shared,
    since: float,
    before: dict[str, int] | None,
    server: Server,
    storm: tuple[float, float | None, int] | None,
    cpu_s: float,
) -> None:
    total = len(shared.booted_at)
    now = counters(shared)
    delta = {name: now[name] - (before or {}).get(name, 0) for name in _COUNTERS}
    latencies = [shared.boot_latency[i] for i in range(total) if shared.booted_at[i] > since]
    print(f"\n== {title}: {len(back)}/{total} stations back and booted")
    if back:
        q = statistics.quantiles(back, n=100) if len(back) > 1 else back * 99
        print(
            f"   all back after {back[-1]:.1f} s (half after {q[49]:.1f} s, 90 % after "
            f"{q[89]:.1f} s, 99 % after {q[98]:.1f} s)"
        )
    if latencies:
        print(
            f"   BootNotification answered in p50 {statistics.median(latencies) * 1000:.0f} ms,"
            f" max {max(latencies):.1f} s"
        )
    print(
        "   handshakes: {connected} opened, {handshake_timeouts} timed out (10 s), "
        "{refused} refused (no listener), {http_refusals} refused by HTTP status, "
        "{other_failures} other failures; {dropped} sockets closed under the stations".format(
            **delta
        )
    )
    print(
        "   boots answered late (> 10 s): {boots_late}; unanswered (30 s): {boots_unanswered}".format(
            **delta
        )
    )
    print(
        f"   server CPU until all were back: {cpu_s:.1f} s, "
        f"{cpu_s / max(1, len(back)) * 1000:.1f} ms per station"
    )
    rss = server.rss()
    print(f"   server RSS {rss:.0f} MiB over {server.processes()} processes")
    if storm is not None:
        calm_rss, drained, log_mark = storm
        print(f"   RSS after the storm / after the calm start: {rss / calm_rss:.2f}")
        if drained is not None:
            print(f"   SIGTERM to exit (drain): {drained:.1f} s")
        text = server.log_since(log_mark)
        errors = len(re.findall(r"\bERROR\b", text))
        tracebacks = text.count("Traceback (most recent call last)")
        print(f"   server log since the stop: {errors} ERROR lines, {tracebacks} tracebacks")


# -- the load generator (one process per --loaders) -------------------------------------


def run_loader(
    url: str,
    ids: list[str],
    first: int,
    step: int,
    password: str,
    shared: Shared,
) -> None:
    asyncio.run(_loader(url, ids, first, step, password, shared))


async def _loader(
    url: str, ids: list[str], first: int, step: int, password: str, shared: Shared
) -> None:
    row = (first) * len(_COUNTERS)
    rng = random.Random(first)

    def count(name: str) -> None:
        shared.counters[row + _COUNTERS.index(name)] += 1

    async def station(index: int, station_id: str) -> None:
        token = base64.b64encode(f"{station_id}:{password}".encode()).decode()
        backoff = FIRST_BACKOFF_S
        await asyncio.sleep(rng.random() * 2)  # the calm start spreads over 2 s
        while not shared.stop.is_set():
            try:
                socket_ = await connect(
                    f"{url}/{station_id}",
                    subprotocols=[Subprotocol("ocpp1.6")],
                    additional_headers={"Authorization": f"Basic {token}"},
                    open_timeout=HANDSHAKE_TIMEOUT_S,
                    ping_interval=None,
                    compression=None,
                    close_timeout=2,
                )
            except TimeoutError:
                count("handshake_timeouts")
            except ConnectionRefusedError:
                count("refused")
            except InvalidStatus:
                count("http_refusals")
            except (OSError, ConnectionClosed, Exception):
                count("other_failures")
            else:
                count("connected")
                backoff = FIRST_BACKOFF_S
                with contextlib.suppress(ConnectionClosed, OSError):
                    await online(index, socket_)
                count("dropped")
                if shared.stop.is_set():
                    return
            await asyncio.sleep(backoff * rng.uniform(0.5, 1.5))
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def online(index: int, socket_: Any) -> None:
        async with socket_:
            boot_id = secrets.token_hex(6)
            sent = time.time()
            await socket_.send(_BOOT % boot_id)
            answered = False
            late = False
            while not shared.stop.is_set():
                try:
                    async with asyncio.timeout(1.0):
                        raw = await socket_.recv()
                except TimeoutError:
                    if not answered and time.time() - sent > ANSWER_TIMEOUT_S:
                        count("boots_unanswered")
                        boot_id = secrets.token_hex(6)
                        sent = time.time()
                        await socket_.send(_BOOT % boot_id)
                    continue
                frame = _parse(raw)
                if frame is None:
                    continue
                if frame[0] == 2:  # a command: accepted (TriggerMessage, ...)
                    await socket_.send(f'[3,"{frame[1]}",{{"status":"Accepted"}}]')
                elif frame[1] == boot_id and not answered:
                    answered = True
                    latency = time.time() - sent
                    if latency > LATE_S and not late:
                        late = True
                        count("boots_late")
                    shared.boot_latency[index] = latency
                    shared.booted_at[index] = time.time()
                    await socket_.send(_STATUS % secrets.token_hex(6))

    await asyncio.gather(
        *(station(first + n * step, station_id) for n, station_id in enumerate(ids))
    )


def _parse(raw: str | bytes) -> list[Any] | None:
    with contextlib.suppress(ValueError):
        frame = orjson.loads(raw)
        if isinstance(frame, list) and len(frame) >= 2:
            return frame
    return None


if __name__ == "__main__":
    main()
