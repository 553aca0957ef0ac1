"""/health: unauthenticated liveness and readiness for load balancers and orchestrators."""

from fastapi import APIRouter, Request
from sqlalchemy import text

from chargeyard import __version__
from chargeyard.api.dependencies import Server

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(ctx: Server, request: Request) -> dict[str, object]:
    async with ctx.db.reading() as uow:
        await uow.session.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "version": __version__,
        "node_id": ctx.settings.node_id,
        "connected_stations": len(request.app.state.registry),
    }
