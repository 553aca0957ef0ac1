"""Payment settlements as `/api/v1/settlements` has them: each attempt of a station's payment
terminal to settle a session (OCPP 2.1 NotifySettlement), newest first, filtered on the server
by station, session, status and the payment provider's reference. Read only: stations report
them, nobody edits them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.form_handling import page_slice, paging
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid
from chargeyard.settlements.domain import PaymentStatus
from chargeyard.settlements.repository import SettlementFilter, SettlementRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

STATUSES = [s.value for s in PaymentStatus]


@router.get("/settlements")
async def settlements(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    station: Annotated[str | None, Query(max_length=64)] = None,
    session: Annotated[str, Query(max_length=19, pattern=r"^\s*\d*\s*$")] = "",
    settlement_status: Annotated[str, Query(alias="status", max_length=16)] = "",
    psp_ref: Annotated[str | None, Query(max_length=255)] = None,
    page: PageNumber = 1,
) -> Response:
    """A filter form sends its empty fields too: an empty one is no filter."""
    if settlement_status and settlement_status not in STATUSES:
        raise Invalid(f"status: one of {', '.join(STATUSES)}")
    where = SettlementFilter(
        (station or "").strip() or None,
        int(session) if session.strip() else None,
        settlement_status or None,
        (psp_ref or "").strip() or None,
    )
    async with ctx.db.reading() as uow:
        found = await SettlementRepository(uow.session, caller.principal.organization_id).search(
            where, page_slice(page)
        )
    context = (
        base_context(caller, "sessions")
        | paging(found.total, page)
        | {
            "rows": found.items,
            "station": where.station_id or "",
            "session": session.strip(),
            "status": where.status or "",
            "statuses": STATUSES,
            "psp_ref": where.psp_ref or "",
        }
    )
    return render(request, "settlements.html", context)
