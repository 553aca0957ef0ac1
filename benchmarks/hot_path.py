"""Hot path: CPU per OCPP CALL through the session and the services alone, without sockets.

`saturation.py` measures the whole server (uvicorn, WebSocket framing, the session, the
database); this script measures what Chargeyard's own code adds. N stations run the same
14-CALL cycle as `saturation.py` (`_ocpp_load.py`) through real `V16Session` / `V201Session`
objects on a channel that hands each answer straight back, on a real database (a fresh SQLite
file by default). It prints CALLs per second and CPU milliseconds per CALL, so a change to the
hot path shows its effect in seconds. The baseline, run first in the same invocation, is the
`ocpp` library's own `ChargePoint` (`plain_ocpp_server.py`'s handlers: parse, validate, answer,
store nothing) on the same frames and the same channel, and the ratio of the two is printed:

    .venv/bin/python benchmarks/hot_path.py --stations 50 --calls 20000
    .venv/bin/python benchmarks/hot_path.py --protocol ocpp2.0.1 --profile /tmp/hot.prof

CPU per CALL is the process's CPU time (all threads, including the database's) over the
measured CALLs, so it is comparable to `saturation.py`'s server figure minus the transport.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ocpp_load import Station
from plain_ocpp_server import PlainStation16, PlainStation201

from chargeyard.clock import utcnow
from chargeyard.id_tags.models import IdTag
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.organizations.service import ensure_organization
from chargeyard.protocol.context import ServerContext, StationIdentity
from chargeyard.protocol.versions import SESSIONS
from chargeyard.security.sign_in_guard import SignInGuard
from chargeyard.settings import Settings
from chargeyard.stations.models import Station as StationRow
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async


class LoopbackChannel:
    """A socket that never was: frames the session sends land in a future per CALL."""

    def __init__(self) -> None:
        self.answer: asyncio.Future[str] | None = None

    async def recv(self) -> str:  # the harness feeds frames through handle_frame
        raise NotImplementedError

    async def send(self, message: str) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_result(message)

    async def close(self, code: int, reason: str) -> None:
        return None


async def seed(db: Database, stations: int) -> tuple[str, list[tuple[str, str]]]:
    """An organization with `stations` registered stations and an accepted tag each."""
    pairs = [(f"HOT{i:05d}", f"TAG{i:05d}") for i in range(stations)]
    async with db.writing() as uow:
        org = await ensure_organization(uow.session, "hot-path")
        for station_id, tag in pairs:
            uow.session.add(StationRow(id=station_id, organization_id=org.id))
            uow.session.add(IdTag(organization_id=org.id, value=tag, status="Accepted"))
        await uow.commit()
    return org.id, pairs


Handler = Callable[[str], Awaitable[Any]]
Opener = Callable[[str, LoopbackChannel], Handler]


def chargeyard_sessions(ctx: ServerContext, organization_id: str, protocol: str) -> Opener:
    session_class = SESSIONS[protocol]

    def open_session(station_id: str, channel: LoopbackChannel) -> Handler:
        identity = StationIdentity(station_id, organization_id)
        session = session_class(channel, ctx, identity, boot_accepted=False)
        return session.handle_frame

    return open_session


def plain_sessions(protocol: str) -> Opener:
    plain_class = PlainStation16 if protocol == "ocpp1.6" else PlainStation201

    def open_session(station_id: str, channel: LoopbackChannel) -> Handler:
        return plain_class(station_id, channel).route_message  # type: ignore[no-any-return]

    return open_session


async def drive(
    open_session: Opener,
    protocol: str,
    pairs: list[tuple[str, str]],
    calls: int,
    warmup: int,
) -> dict[str, Any]:
    counts: collections.Counter[str] = collections.Counter()
    errors: list[str] = []
    state = {"left": calls + warmup}
    marks: dict[str, float] = {}

    async def one(station_id: str, tag: str) -> None:
        channel = LoopbackChannel()
        handle = open_session(station_id, channel)
        station = Station(station_id, tag, protocol)
        sequence = 0

        async def exchange(action: str, frame: str) -> dict[str, Any]:
            channel.answer = asyncio.get_running_loop().create_future()
            await handle(frame)
            answer = json.loads(await channel.answer)
            if answer[0] != 3:
                errors.append(f"{action}: {answer}")
                return {}
            return dict(answer[2])

        await exchange("BootNotification", station.boot_frame(f"{station_id}-boot"))
        while state["left"] > 0:
            if state["left"] == calls:  # the warm-up is over: measure from here
                marks["cpu"], marks["wall"] = time.process_time(), time.perf_counter()
            measured = state["left"] <= calls
            state["left"] -= 1
            sequence += 1
            action, frame = station.next_frame(f"{station_id}-{sequence}")
            payload = await exchange(action, frame)
            station.answered(action, payload)
            if measured:
                counts[action] += 1

    await asyncio.gather(*(one(s, t) for s, t in pairs))
    cpu = time.process_time() - marks["cpu"]
    wall = time.perf_counter() - marks["wall"]
    measured = sum(counts.values())
    return {
        "calls": measured,
        "calls_per_s": measured / wall,
        "cpu_ms_per_call": 1000 * cpu / measured,
        "errors": errors,
        "actions": dict(counts),
    }


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="chargeyard-hot-path-"))
    url = args.database_url or f"sqlite+aiosqlite:///{folder / 'chargeyard.db'}"
    # No rate limit: a station here sends as fast as it is answered (the limit is policy).
    settings = Settings(
        database_url=url, message_log_flush_s=1.0, node_id="hot-path", station_rate_limit_per_s=0
    )
    await upgrade_async(url)
    db = Database(url)
    message_log = MessageLogWriter(db, utcnow, settings.message_log_flush_s)
    message_log.start()
    ctx = ServerContext(
        settings=settings,
        db=db,
        clock=utcnow,
        message_log=message_log,
        secret_key=b"k" * 32,
        sign_in=SignInGuard(settings),
    )
    organization_id, pairs = await seed(db, args.stations)
    plain = None
    if not args.no_baseline:
        plain = await drive(plain_sessions(args.protocol), args.protocol, pairs, args.calls, 0)
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    opener = chargeyard_sessions(ctx, organization_id, args.protocol)
    result = await drive(opener, args.protocol, pairs, args.calls, args.warmup)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    await message_log.stop()
    await db.dispose()
    print(
        f"{args.protocol}, {args.stations} stations, {result['calls']} CALLs measured "
        f"after {args.warmup} warm-up CALLs, database {url.split(':', 1)[0]}"
    )
    print("| handler | CALLs/s | CPU ms/CALL | CALLERRORs |")
    print("|---|---:|---:|---:|")
    for name, row in (("plain ocpp ChargePoint", plain), ("chargeyard session", result)):
        if row is not None:
            print(
                f"| {name} | {row['calls_per_s']:,.0f} | {row['cpu_ms_per_call']:.3f} "
                f"| {len(row['errors'])} |"
            )
    if plain is not None:
        ratio = result["cpu_ms_per_call"] / plain["cpu_ms_per_call"]
        print(f"chargeyard / plain CPU per CALL: {ratio:.2f}")
    if result["errors"]:
        print(f"CALLERRORs: {result['errors'][:3]}")
        raise SystemExit(1)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--calls", type=int, default=20_000, help="CALLs measured")
    parser.add_argument("--warmup", type=int, default=2_000, help="CALLs before measuring")
    parser.add_argument("--protocol", choices=["ocpp1.6", "ocpp2.0.1"], default="ocpp1.6")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", help="write a cProfile of the measured part here")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain library run")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
