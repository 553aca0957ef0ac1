"""Saturation: server CPU per OCPP CALL and the CALLs/s a server sustains, for Chargeyard and
for a plain `ocpp`-library server side by side in one run, and the ratio of the two.

N stations (raw WebSocket clients, `_ocpp_load.py`) connect, boot once, then each keeps one
CALL outstanding and sends the next as soon as it is answered: Authorize, a transaction with
8 meter values, 2 status notifications and a heartbeat per cycle. After --warmup seconds the
script measures for --duration seconds: CALLRESULTs per second, p50/p99 latency, the server's
CPU seconds (user + system from /proc/PID/stat, over the server processes and their children)
per CALL answered, and its RSS. The plain server (`plain_ocpp_server.py`, the `ocpp` library's
ChargePoint on `websockets`, storing nothing) runs first, then Chargeyard on a fresh SQLite
database; each in its own process, started and stopped by the script.

    .venv/bin/python benchmarks/saturation.py --stations 200 --protocol ocpp1.6

Against a Chargeyard that is already running (several --server-pid are summed, with their
children: pass every worker process):

    .venv/bin/python benchmarks/saturation.py --only chargeyard \\
        --url ws://127.0.0.1:8000/ocpp --api http://127.0.0.1:8000 --token "$TOKEN" \\
        --server-pid "$SERVER_PID"
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import queue
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ocpp_load import LoadConfig, Tally, run_worker

from chargeyard.simulator import FleetConfig
from stations import Target, free_port, own_server, register

_HERE = Path(__file__).resolve().parent
_STARTUP_S = 30.0
_STOP_S = 15.0
_SERVERS = ("plain", "chargeyard")


@dataclass
class Row:
    """One server's figures over the measurement window."""

    server: str
    stations: int
    connected: int
    window_s: float
    tally: Tally
    server_cpu_s: float
    client_cpu_s: float
    rss_mib: float
    loads: tuple[float, float]
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.tally.answered / self.window_s

    @property
    def cpu_ms_per_call(self) -> float | None:
        if not self.tally.answered:
            return None
        return self.server_cpu_s * 1000 / self.tally.answered

    def percentile(self, q: float) -> float | None:
        values = sorted(self.tally.latencies_s)
        if not values:
            return None
        return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    args = parse_args()
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}", flush=True)
    password = args.password or secrets.token_urlsafe(18)
    servers = [args.only] if args.only else list(_SERVERS)
    rows = []
    for server in servers:
        print(f"\n== {server}: {args.stations} {args.protocol} stations", flush=True)
        if server == "plain":
            with plain_server() as target:
                rows.append(measure(args, "plain ocpp", target, [target.pid or 0], None))
        elif args.url:
            target = Target(args.url, args.api, args.token, None)
            prepare(args, target, password)
            rows.append(measure(args, "chargeyard", target, args.server_pid or [], password))
        else:
            with (
                tempfile.TemporaryDirectory(prefix="chargeyard-saturation-") as tmp,
                own_server(Path(tmp)) as target,
            ):
                prepare(args, target, password)
                rows.append(measure(args, "chargeyard", target, [target.pid or 0], password))
    report(args, rows)
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--protocol", choices=["ocpp1.6", "ocpp2.0.1"], default="ocpp1.6")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--only", choices=_SERVERS, help="run one server only")
    parser.add_argument("--clients-processes", type=int, default=1, help="load processes")
    parser.add_argument("--call-timeout", type=float, default=30.0, help="seconds per CALL")
    parser.add_argument("--url", help="OCPP base URL of a running Chargeyard (else start one)")
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="its REST base URL")
    parser.add_argument("--token", help="admin API token, to register the stations")
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        help="a process of the running Chargeyard (repeat for workers; children are added)",
    )
    parser.add_argument("--password", help="station password (16-40 characters)")
    parser.add_argument("--prefix", default="SAT", help="station ids are {prefix}0000, ...")
    parser.add_argument("--id-tag", default="SAT", help="tags are {id-tag}00001, ...")
    args = parser.parse_args()
    if args.url and not args.server_pid:
        parser.error("--url needs --server-pid: the benchmark measures the server's CPU")
    return args


def fleet(args: argparse.Namespace) -> FleetConfig:
    """The station ids and their tags, one tag per station (a tag charging elsewhere would
    be refused as ConcurrentTx), named as `stations.py` names them."""
    return FleetConfig(
        stations=args.stations,
        prefix=args.prefix,
        connectors=1,
        id_tag=args.id_tag,
        unique_tags=True,
    )


def prepare(args: argparse.Namespace, target: Target, password: str) -> None:
    if target.token is None:
        print("no --token: the stations and tags must exist with --password")
        return
    started = time.monotonic()
    asyncio.run(register(target.api, target.token, fleet(args), password))
    print(f"registered {args.stations} stations and tags in {time.monotonic() - started:.1f} s")


@contextlib.contextmanager
def plain_server() -> Iterator[Target]:
    """`plain_ocpp_server.py` on a free loopback port, stopped on exit."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(_HERE / "plain_ocpp_server.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        print(f"plain ocpp server pid {server.pid} on port {port}")
        yield Target(f"ws://127.0.0.1:{port}/ocpp", "", None, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=_STOP_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + _STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"plain server exited with {server.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    sys.exit(f"plain server not listening after {_STARTUP_S:.0f} s")


def measure(
    args: argparse.Namespace, name: str, target: Target, pids: list[int], password: str | None
) -> Row:
    """Connect and boot the stations in the worker processes, then measure the window."""
    config = fleet(args)
    pairs = [
        (station_id, config.id_tag_for(index, 1))
        for index, station_id in enumerate(config.station_ids())
    ]
    context = multiprocessing.get_context("fork")
    results: Any = context.Queue()
    go = context.Event()
    window_start = context.Value("d", 0.0)
    window_end = context.Value("d", 0.0)
    workers = []
    shares = max(1, min(args.clients_processes, len(pairs)))
    for share in range(shares):
        load = LoadConfig(
            target.url, args.protocol, pairs[share::shares], password, args.call_timeout
        )
        worker = context.Process(
            target=run_worker, args=(load, results, go, window_start, window_end), daemon=True
        )
        worker.start()
        workers.append(worker)
    started = time.monotonic()
    connected = sum(expect(results, "ready", workers) for _ in workers)
    print(
        f"{connected}/{len(pairs)} stations connected and booted in "
        f"{time.monotonic() - started:.1f} s; warming up {args.warmup:g} s",
        flush=True,
    )
    window_start.value = time.monotonic() + args.warmup
    window_end.value = window_start.value + args.duration
    go.set()
    sleep_until(window_start.value)
    loads = os.getloadavg()[0]
    server_before, client_before = cpu_seconds(pids), cpu_seconds([w.pid or 0 for w in workers])
    sleep_until(window_end.value)
    server_after, client_after = cpu_seconds(pids), cpu_seconds([w.pid or 0 for w in workers])
    rss = rss_mib(pids)
    tally = merge([expect(results, "tally", workers) for _ in workers])
    for worker in workers:
        worker.join(_STOP_S)
    return Row(
        server=name,
        stations=len(pairs),
        connected=connected,
        window_s=args.duration,
        tally=tally,
        server_cpu_s=used(server_before, server_after),
        client_cpu_s=used(client_before, client_after),
        rss_mib=rss,
        loads=(loads, os.getloadavg()[0]),
    )


def expect(results: Any, kind: str, workers: list[Any]) -> Any:
    """The next report of `kind` from a worker; exits if the workers died."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        with contextlib.suppress(queue.Empty):
            got, value = results.get(timeout=1.0)
            if got != kind:
                sys.exit(f"worker sent {got!r}, expected {kind!r}")
            return value
        if all(not worker.is_alive() for worker in workers):
            sys.exit("the load worker processes died")
    sys.exit(f"no {kind!r} report from the load workers")


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def merge(tallies: list[Tally]) -> Tally:
    """The workers' tallies as one: counts added, lists joined."""
    total = Tally()
    for tally in tallies:
        for name in (each.name for each in fields(Tally)):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    return total


# -- /proc -------------------------------------------------------------------------------


def process_tree(pids: list[int]) -> set[int]:
    """The given processes and all their descendants alive now (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    tree: set[int] = set()
    todo = [pid for pid in pids if pid > 0]
    while todo:
        pid = todo.pop()
        if pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, []))
    return tree


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each process of the tree, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in process_tree(pids):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two samples; a process born in between counts from zero, one that
    died in between counts nothing after the first sample."""
    return sum(spent - before.get(pid, 0.0) for pid, spent in after.items())


def rss_mib(pids: list[int]) -> float:
    total_kib = 0
    for pid in process_tree(pids):
        with contextlib.suppress(OSError, IndexError, ValueError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
    return total_kib / 1024


# -- the report --------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def report(args: argparse.Namespace, rows: list[Row]) -> None:
    print(
        f"\n{args.protocol}, {args.stations} stations, {args.duration:g} s measured after"
        f" {args.warmup:g} s warm-up, {args.clients_processes} load process(es)\n"
    )
    print(
        "| server | connected | CALLs/s | p50 | p99 | server CPU | CPU ms/CALL | RSS |"
        " CALLERRORs | timeouts | dropped | load CPU | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        per_call = row.cpu_ms_per_call
        print(
            f"| {row.server} | {row.connected}/{row.stations} | {row.rate:,.0f} |"
            f" {ms(row.percentile(0.5))} | {ms(row.percentile(0.99))} |"
            f" {row.server_cpu_s / row.window_s:.0%} |"
            f" {'n/a' if per_call is None else f'{per_call:.2f}'} | {row.rss_mib:.0f} MiB |"
            f" {row.tally.errors} | {row.tally.timeouts} | {row.tally.dropped} |"
            f" {row.client_cpu_s / row.window_s:.0%} | {row.loads[0]:.2f}-{row.loads[1]:.2f} |"
        )
    for row in rows:
        for label, samples in (
            ("CALLERROR", row.tally.error_samples),
            ("connect failure", row.tally.connect_failures),
        ):
            for sample in samples:
                print(f"  {row.server} {label}: {sample}")
        if row.tally.refused:
            print(f"  {row.server}: {row.tally.refused} answers refused the tag (not Accepted)")
        if row.tally.boots_rejected:
            print(f"  {row.server}: {row.tally.boots_rejected} boots not Accepted")
        if row.tally.server_calls:
            print(f"  {row.server}: {row.tally.server_calls} CALLs from the server answered")
    by_name = {row.server: row for row in rows}
    plain, ours = by_name.get("plain ocpp"), by_name.get("chargeyard")
    if plain is None or ours is None or not plain.rate:
        return
    print(f"\nchargeyard / plain CALLs/s:      {ours.rate / plain.rate:.2f}")
    if ours.cpu_ms_per_call is not None and plain.cpu_ms_per_call:
        print(
            f"chargeyard / plain CPU per CALL: {ours.cpu_ms_per_call / plain.cpu_ms_per_call:.2f}"
        )


if __name__ == "__main__":
    main()
