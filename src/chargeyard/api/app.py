"""The one ASGI application: REST under /api/v1, docs at /docs, health, and OCPP at /ocpp/{id}."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from chargeyard import __version__
from chargeyard.api import problems
from chargeyard.api.health import router as health_router
from chargeyard.clock import Clock, utcnow
from chargeyard.id_tags.endpoints import router as id_tags_router
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.protocol.context import ServerContext
from chargeyard.protocol.registry import ConnectionRegistry
from chargeyard.protocol.server import OcppEndpoint
from chargeyard.settings import Settings
from chargeyard.stations.endpoints import router as stations_router
from chargeyard.stations.repository import mark_node_disconnected
from chargeyard.storage.database import Database
from chargeyard.transactions.endpoints import router as transactions_router

API_ROUTERS = (stations_router, id_tags_router, transactions_router)


def create_app(settings: Settings, clock: Clock = utcnow) -> FastAPI:
    db = Database(settings.database_url)
    message_log = MessageLogWriter(db, clock, settings.message_log_flush_s)
    ctx = ServerContext(settings=settings, db=db, clock=clock, message_log=message_log)
    registry = ConnectionRegistry()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with db.writing() as uow:
            await mark_node_disconnected(uow.session, settings.node_id, clock())
            await uow.commit()
        message_log.start()
        try:
            yield
        finally:
            await message_log.stop()
            await db.dispose()

    app = FastAPI(
        title="Chargeyard",
        version=__version__,
        description="Open-source EV charging platform: OCPP central system and REST API.",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.registry = registry
    problems.install(app)
    api = APIRouter(prefix="/api/v1")
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(health_router)
    app.add_api_websocket_route("/ocpp/{station_id}", OcppEndpoint(ctx, registry))
    return app
