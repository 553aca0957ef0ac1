"""/api/v1/reports: exports streamed as CSV, with the filters of the matching list endpoint
(docs/alerts.md, "Reports")."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from chargeyard.alerts.domain import AlertStatus
from chargeyard.alerts.repository import AlertFilter
from chargeyard.api.dependencies import Server, UpdatedSince, Viewer
from chargeyard.api.limits import EvseIdQuery
from chargeyard.reports import service
from chargeyard.reports.service import stream
from chargeyard.transactions.repository import TransactionFilter

router = APIRouter(prefix="/reports", tags=["reports"])


def csv_response(chunks: AsyncIterator[str], name: str) -> StreamingResponse:
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/transactions.csv", response_class=StreamingResponse)
async def transactions_report(
    caller: Viewer,
    ctx: Server,
    updated_since: UpdatedSince = None,
    station_id: str | None = None,
    id_tag: str | None = None,
    active: bool | None = None,
    started_since: datetime | None = None,
    started_until: datetime | None = None,
) -> StreamingResponse:
    """The transactions `/transactions` would list with the same filters, one row each, oldest
    first, with a header row."""
    where = TransactionFilter(
        station_id, id_tag, active, started_since, started_until, updated_since
    )
    report = service.transactions(caller.organization_id, where)
    return csv_response(stream(ctx.db, report), "transactions.csv")


@router.get("/status-history.csv", response_class=StreamingResponse)
async def status_history_report(
    caller: Viewer,
    ctx: Server,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> StreamingResponse:
    """Every reported status (of one station, or all), in the order stored."""
    report = service.status_history(
        caller.organization_id, station_id=station_id, evse_id=evse_id, since=since, until=until
    )
    return csv_response(stream(ctx.db, report), "status-history.csv")


@router.get("/alerts.csv", response_class=StreamingResponse)
async def alerts_report(
    caller: Viewer,
    ctx: Server,
    status: Annotated[list[AlertStatus] | None, Query(max_length=len(AlertStatus))] = None,
    name: str | None = None,
    category: str | None = None,
    urgency: str | None = None,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> StreamingResponse:
    """The alerts `/alerts` would list with the same filters, oldest first."""
    where = AlertFilter(
        [s.value for s in status or ()], name, category, urgency, station_id, evse_id, since, until
    )
    return csv_response(stream(ctx.db, service.alerts(caller.organization_id, where)), "alerts.csv")
