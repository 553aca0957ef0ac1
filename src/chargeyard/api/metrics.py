"""`GET /metrics`: every Chargeyard metric in the Prometheus text format.

Open to anyone only when `CHARGEYARD_METRICS_PUBLIC=true` (a scraper inside a trusted network);
otherwise it takes an admin token like any other endpoint. The figures are node-wide aggregates
with no organization, station or tag in their labels.
"""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from chargeyard.api.dependencies import Server, principal, require
from chargeyard.observability.metrics import CONTENT_TYPE, render
from chargeyard.organizations.domain import Role

router = APIRouter(tags=["operation"])


async def metrics_reader(request: Request, ctx: Server) -> None:
    """Nothing when metrics are public; otherwise the caller must be an admin (401 / 403)."""
    if ctx.settings.metrics_public:
        return
    await require(Role.ADMIN)(await principal(request, ctx))


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format"}},
)
async def metrics(_caller: Annotated[None, Depends(metrics_reader)]) -> Response:
    # Off the event loop: with worker processes, a scrape reads every process's sample files.
    return Response(await asyncio.to_thread(render), media_type=CONTENT_TYPE)
