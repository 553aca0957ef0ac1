"""Station load: how many simulated OCPP 1.6 stations a Chargeyard server carries, and how fast.

Without --url it starts its own server on a fresh SQLite database in a temporary directory
(`chargeyard serve`), takes an admin token from `chargeyard tokens create`, registers the
stations through the REST API with one shared password, then runs them with
`chargeyard.simulator.run_fleet`: boot, heartbeats, status changes and charging sessions
with meter values. It prints how many stations stayed connected, the CALLs the server
answered per second, the p50/p99 request-to-answer latency, and the server's memory.

    .venv/bin/python benchmarks/stations.py --stations 1000 --duration 60

Against a server that is already running (register stations only when --token is given):

    .venv/bin/python benchmarks/stations.py --stations 200 --duration 30 \\
        --url ws://127.0.0.1:8000/ocpp --api http://127.0.0.1:8000 --token $TOKEN \\
        --server-pid $(pgrep -f "chargeyard serve")

Latency is reported twice: over the whole run (the connection ramp, where every station
boots and reports its connectors, and the final StopTransactions included) and over the
steady state, from the first progress line with every station online to the end of
--duration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import httpx

from chargeyard.simulator import CallRecord, FleetConfig, FleetStats, ProtocolVersion, run_fleet
from chargeyard.simulator.latency import LatencyStats

SRC = Path(__file__).resolve().parent.parent / "src"
_STARTUP_S = 60.0
_REGISTRATION_CONCURRENCY = 32


@dataclass(frozen=True)
class Target:
    """The server under test: where stations connect, where the API is, its process."""

    url: str
    api: str
    token: str | None
    pid: int | None


class SteadyLatency(LatencyStats):
    """The fleet's latency recorder, with a second histogram for the steady-state window
    (opened by `Progress` once every station is online, closed when --duration ends)."""

    def __init__(self) -> None:
        super().__init__()
        self.window = LatencyStats()
        self.open = False

    def record(self, record: CallRecord) -> None:
        super().record(record)
        if self.open:
            self.window.record(record)


class Progress:
    """Prints the fleet's progress lines and remembers when every station was online,
    so the steady-state rate and latency can be told apart from the connection ramp."""

    def __init__(self, server_pid: int | None) -> None:
        self.all_online: FleetStats | None = None
        self.latency = SteadyLatency()
        self.server = CpuMeter(server_pid)
        self.client = CpuMeter(os.getpid())
        self.loads: list[float] = []
        self.closed = False

    def record(self, stats: FleetStats) -> None:
        print(stats.summary(), flush=True)
        self.loads.append(os.getloadavg()[0])
        if self.all_online is None and stats.connected == stats.stations and not self.closed:
            self.all_online = stats
            self.latency.open = True
            self.server.start()
            self.client.start()

    def close_window(self) -> None:
        self.closed = True
        self.latency.open = False
        self.server.stop()
        self.client.stop()

    def steady_rate(self) -> float | None:
        """Answers per second from the moment all stations were online to the end of
        --duration (the final StopTransactions left out)."""
        seconds = self.server.seconds or self.client.seconds
        if self.all_online is None or not seconds:
            return None
        return self.latency.window.answered / seconds


def main() -> None:
    args = parse_args()
    # Late answers to timed-out CALLs are counted as timeouts; the library need not log each.
    logging.getLogger("ocpp").setLevel(logging.CRITICAL)
    password = args.password or secrets.token_urlsafe(18)  # 24 characters
    if args.url:
        target = Target(args.url, args.api, args.token, args.server_pid)
        progress = Progress(target.pid)
        stats = asyncio.run(benchmark(args, target, password, progress))
        report(stats, target.pid, progress)
        return
    with (
        tempfile.TemporaryDirectory(prefix="chargeyard-bench-") as tmp,
        own_server(Path(tmp)) as target,
    ):
        progress = Progress(target.pid)
        stats = asyncio.run(benchmark(args, target, password, progress))
        report(stats, target.pid, progress)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=100, help="stations to simulate")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--url", help="OCPP base URL of a running server (else start one)")
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="REST base URL")
    parser.add_argument("--token", help="admin API token, to register the stations")
    parser.add_argument("--server-pid", type=int, help="server process, for its memory")
    parser.add_argument("--password", help="station password (16-40 characters)")
    parser.add_argument("--connectors", type=int, default=2)
    parser.add_argument("--heartbeat-interval", type=int, default=60)
    parser.add_argument("--meter-interval", type=int, default=10)
    parser.add_argument("--connect-rate", type=float, default=25.0, help="connections/second")
    parser.add_argument(
        "--protocol",
        choices=[version.value for version in ProtocolVersion],
        default=ProtocolVersion.OCPP16.value,
        help="OCPP version the stations speak",
    )
    parser.add_argument("--prefix", default="BENCH")
    parser.add_argument("--id-tag", default="BENCH", help="tags are {id-tag}00001, ...")
    return parser.parse_args()


@contextlib.contextmanager
def own_server(tmp: Path) -> Iterator[Target]:
    """A `chargeyard serve` on a free port and a fresh database, stopped on exit."""
    port = free_port()
    env = os.environ | {
        "CHARGEYARD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    token = create_token(env)
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*chargeyard(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    api = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(api, server, log_path)
        print(f"server pid {server.pid} listening on {api} (log: {log_path})")
        yield Target(f"ws://127.0.0.1:{port}/ocpp", api, token, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def chargeyard() -> list[str]:
    return [sys.executable, "-m", "chargeyard"]


def create_token(env: dict[str, str]) -> str:
    """`chargeyard tokens create` prints the token as its last line."""
    done = subprocess.run(
        [*chargeyard(), "tokens", "create", "--organization", "bench", "--role", "admin"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(api: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + _STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"server exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"server not healthy after {_STARTUP_S:.0f} s:\n{log_path.read_text()[-3000:]}")


async def benchmark(
    args: argparse.Namespace, target: Target, password: str, progress: Progress
) -> FleetStats:
    config = FleetConfig(
        url=target.url,
        stations=args.stations,
        prefix=args.prefix,
        password=password,
        connectors=args.connectors,
        duration_s=args.duration,
        heartbeat_interval=args.heartbeat_interval,
        meter_interval=args.meter_interval,
        connect_rate=args.connect_rate,
        protocol=ProtocolVersion(args.protocol),
        id_tag=args.id_tag,
        unique_tags=True,  # one tag per connector: a tag charging elsewhere is ConcurrentTx
        # Short breaks between sessions: the load should not wait minutes to build up.
        idle_intervals=(0.2, 2.0),
        progress_interval_s=5.0,
    )
    if target.token is not None:
        started = time.monotonic()
        await register(target.api, target.token, config, password)
        took = time.monotonic() - started
        print(f"registered {args.stations} stations and their id tags in {took:.1f} s")
    print(
        f"running {args.stations} {args.protocol} stations for {args.duration:g} s"
        f" against {target.url}"
    )
    asyncio.get_running_loop().call_later(args.duration, progress.close_window)
    # The fleet builds its own recorder; the benchmark's adds the steady-state window.
    with mock.patch("chargeyard.simulator.fleet.LatencyStats", lambda: progress.latency):
        return await run_fleet(config, on_progress=progress.record)


async def register(api: str, token: str, config: FleetConfig, password: str) -> None:
    """POST the id tags and the stations; a station that exists gets the benchmark's password."""
    limit = asyncio.Semaphore(_REGISTRATION_CONCURRENCY)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=api, headers=headers, timeout=60) as client:

        async def tag(value: str) -> None:
            async with limit:
                response = await client.post("/api/v1/id-tags", json={"value": value})
                if response.status_code != httpx.codes.CONFLICT:
                    response.raise_for_status()

        async def station(station_id: str) -> None:
            async with limit:
                body = {"id": station_id, "password": password}
                response = await client.post("/api/v1/stations", json=body)
                if response.status_code == httpx.codes.CONFLICT:
                    response = await client.patch(
                        f"/api/v1/stations/{station_id}", json={"password": password}
                    )
                response.raise_for_status()

        await asyncio.gather(*(tag(value) for value in config.id_tags()))
        await asyncio.gather(*(station(station_id) for station_id in config.station_ids()))


def report(stats: FleetStats, pid: int | None, progress: Progress) -> None:
    steady = progress.steady_rate()
    steady_text = "n/a (never all online)" if steady is None else f"{steady:.1f} per second"
    window = progress.latency.window
    print()
    print(stats.report())
    print()
    print(f"stations connected:      {stats.connected}/{stats.stations}")
    print(f"messages handled:        {stats.answers_per_second:.1f} per second (whole run)")
    print(f"  once all were online:  {steady_text}")
    print(f"latency p50 / p99:       {ms(stats.p50_s)} / {ms(stats.p99_s)} (whole run)")
    print(
        f"  once all were online:  {ms(window.percentile(0.5))} / {ms(window.percentile(0.99))}"
        f" ({window.answered} answers, max {ms(window.percentile(1.0))})"
    )
    print(f"server memory:           {server_memory(pid)}")
    print(f"server CPU once online:  {progress.server.text()}")
    print(f"benchmark CPU:           {progress.client.text()} (near 100 %: the client limits)")
    loads = progress.loads
    if loads:
        print(f"load average (1 min):    {min(loads):.2f} to {max(loads):.2f} during the run")


class CpuMeter:
    """A process's CPU use (user + system, all threads) between `start` and `stop`, from
    /proc: 100 % is one core busy. Linux only."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.began: tuple[float, float] | None = None
        self.used: float | None = None
        self.seconds: float | None = None

    def _sample(self) -> tuple[float, float] | None:
        if self.pid is None:
            return None
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return time.monotonic(), ticks / os.sysconf("SC_CLK_TCK")

    def start(self) -> None:
        self.began = self._sample()

    def stop(self) -> None:
        end = self._sample()
        if self.began is not None and end is not None and end[0] > self.began[0]:
            self.seconds = end[0] - self.began[0]
            self.used = (end[1] - self.began[1]) / self.seconds

    def text(self) -> str:
        return "n/a" if self.used is None else f"{self.used * 100:.0f} % of one core"


def ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f} ms"


def server_memory(pid: int | None) -> str:
    """VmRSS (and the peak, VmHWM) of the server process, from /proc."""
    if pid is None:
        return "n/a (pass --server-pid)"
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError as error:
        return f"n/a ({error.strerror})"
    fields = dict(line.split(":", 1) for line in lines if ":" in line)

    def mib(name: str) -> str:
        kib = int(fields.get(name, "0 kB").split()[0])
        return f"{kib / 1024:.1f} MiB"

    return f"{mib('VmRSS')} RSS (peak {mib('VmHWM')})"


if __name__ == "__main__":
    main()
