"""/api/v1/reports: exports streamed as CSV (docs/reports.md)."""

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from chargeyard.api.dependencies import Server, UpdatedSince, Viewer
from chargeyard.reports.service import transactions_csv
from chargeyard.transactions.repository import TransactionFilter

router = APIRouter(prefix="/reports", tags=["reports"])

CSV = "text/csv; charset=utf-8"


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
    return StreamingResponse(
        transactions_csv(ctx.db, caller.organization_id, where),
        media_type=CSV,
        headers={"Content-Disposition": 'attachment; filename="transactions.csv"'},
    )
