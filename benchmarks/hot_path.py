"""Hot path: CPU per OCPP CALL through the session and the services alone, without sockets.

`saturation.py` measures the whole server (uvicorn, WebSocket framing, the session, the
database); this script measures what Chargeyard's own code adds. N stations run the same
14-CALL cycle as `saturation.py` (`_ocpp_load.py`) through real `V16Session` / `V201Session`
objects on a channel that hands each answer straight back, on a real database (a fresh SQLite
file by default), in one process with the same background jobs as a server. It prints CALLs
per second and CPU milliseconds per CALL, overall and per action, so a change to the hot
path shows its effect in seconds:

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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _ocpp_load import Station

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


async def drive(
    ctx: ServerContext,
    organization_id: str,
    protocol: str,
    pairs: list[tuple[str, str]],
    calls: int,
    warmup: int,
) -> dict[str, Any]:
    session_class = SESSIONS[protocol]
    counts: collections.Counter[str] = collections.Counter()
    errors: list[str] = []
    state = {"left": calls + warmup, "warm": warmup}
    marks: dict[str, float] = {}

    async def one(station_id: str, tag: str) -> None:
        channel = LoopbackChannel()
        session = session_class(
            channel, ctx, StationIdentity(station_id, organization_id), boot_accepted=False
        )
        station = Station(station_id, tag, protocol)
        sequence = 0

        async def exchange(action: str, frame: str) -> dict[str, Any]:
            channel.answer = asyncio.get_running_loop().create_future()
            await session.handle_frame(frame)
            answer = json.loads(await channel.answer)
            if answer[0] != 3:
                errors.append(f"{action}: {answer}")
                return {}
            return dict(answer[2])

        await exchange("BootNotification", station.boot_frame(f"{station_id}-boot"))
        while state["left"] > 0:
            state["left"] -= 1
            if state["left"] == calls:
                marks["cpu"], marks["wall"] = time.process_time(), time.perf_counter()
            sequence += 1
            action, frame = station.next_frame(f"{station_id}-{sequence}")
            payload = await exchange(action, frame)
            station.answered(action, payload)
            if state["left"] < calls:
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
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    result = await drive(ctx, organization_id, args.protocol, pairs, args.calls, args.warmup)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    await message_log.stop()
    await db.dispose()
    print(
        f"{args.protocol}, {args.stations} stations, {result['calls']} CALLs measured "
        f"after {args.warmup} warm-up CALLs, database {url.split(':', 1)[0]}"
    )
    print(f"CALLs/s:          {result['calls_per_s']:,.0f}")
    print(f"CPU ms per CALL:  {result['cpu_ms_per_call']:.3f}")
    print(f"CALLERRORs:       {len(result['errors'])} {result['errors'][:3]}")
    if result["errors"]:
        raise SystemExit(1)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--calls", type=int, default=20_000, help="CALLs measured")
    parser.add_argument("--warmup", type=int, default=2_000, help="CALLs before measuring")
    parser.add_argument("--protocol", choices=["ocpp1.6", "ocpp2.0.1"], default="ocpp1.6")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", help="write a cProfile of the measured part here")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
