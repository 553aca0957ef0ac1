"""Health for load balancers and orchestrators, unauthenticated: `/health/live` (the process
answers), `/health/ready` (it can do its work: started, database reachable and writable, Redis
reachable when configured) and `/health` (the original summary, kept as it was).

Readiness answers 503 with a problem document naming each failing check. Error details go to the
log, not to the unauthenticated caller.
"""

import asyncio
import logging
from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from chargeyard import __version__
from chargeyard.api.dependencies import Server
from chargeyard.api.problems import PROBLEM_JSON, problem
from chargeyard.server_context import ServerContext
from chargeyard.storage.health_probe import probe_reads, probe_writes

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(ctx: Server, request: Request) -> dict[str, object]:
    await probe_reads(ctx.db)
    return {
        "status": "ok",
        "version": __version__,
        "node_id": ctx.settings.node_id,
        "connected_stations": len(request.app.state.registry),
    }


@router.get("/health/live")
async def live() -> dict[str, str]:
    """The process is up and its event loop answers; nothing else is checked."""
    return {"status": "live"}


@router.get(
    "/health/ready",
    response_model=None,
    responses={
        503: {
            "description": "Not ready: the problem document names each failing check.",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    },
)
async def ready(ctx: Server, request: Request) -> JSONResponse | dict[str, object]:
    """Whether this node should receive traffic; 503 with the failing checks when not."""
    checks: dict[str, str] = {}
    if not getattr(request.app.state, "ready", False):
        checks["startup"] = "the application has not finished starting (or is stopping)"
    timeout_s = ctx.settings.health_check_timeout_s
    checks |= await _check("database", _database_reachable(ctx), timeout_s)
    if "database" not in checks and ctx.db.write_health.failing:
        checks |= await _check("writes", _writes_work(ctx), timeout_s)
    if ctx.settings.redis_url is not None:
        redis_url = ctx.settings.redis_url
        checks |= await _check("redis", _redis_reachable(redis_url, timeout_s), timeout_s)
    if checks:
        detail = "; ".join(f"{name}: {why}" for name, why in checks.items())
        return problem(503, "Not ready", detail, checks=checks)
    return {"status": "ready", "node_id": ctx.settings.node_id}


async def _check(name: str, probe: Awaitable[str | None], timeout_s: float) -> dict[str, str]:
    """Run one check (a coroutine returning None when fine, or why not), bounded in time: a
    database or Redis slower than that is not ready to serve."""
    try:
        async with asyncio.timeout(timeout_s):
            why = await probe
    except TimeoutError:
        why = f"no answer within {timeout_s:g} s"
    except Exception:
        logger.warning("readiness check %s failed", name, exc_info=True)
        why = "failed (see the server log)"
    return {} if why is None else {name: str(why)}


async def _database_reachable(ctx: ServerContext) -> str | None:
    await probe_reads(ctx.db)
    return None


async def _writes_work(ctx: ServerContext) -> str | None:
    """The latest write failed: try a small one, which clears the failure if it commits."""
    try:
        await probe_writes(ctx.db, ctx.settings.node_id, ctx.clock())
    except Exception:
        logger.warning("write probe failed; latest write error: %s", ctx.db.write_health.last_error)
        return "writes to the database fail"
    return None


async def _redis_reachable(url: str, timeout_s: float) -> str | None:
    # Imported here: a node without Redis does not pay its import at every start.
    from redis.asyncio import Redis

    client: Redis = Redis.from_url(url, socket_connect_timeout=timeout_s)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return None
