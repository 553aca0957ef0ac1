"""Drivers, read-only as every role sees them in `/api/v1/drivers`: the list searched by name
or e-mail and filtered by status on the server, with their balance; a driver with their ID tags
and ledger (newest entry first). Bookings and changes stay with the REST API."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.drivers.domain import EntryKind
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

StatusFilter = Literal["", "enabled", "disabled"]
KINDS = tuple(kind.value for kind in EntryKind)
KindFilter = Literal["", "top_up", "session_charge", "fee", "voucher", "refund", "correction"]


@router.get("/drivers")
async def drivers(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    driver_status: Annotated[StatusFilter, Query(alias="status")] = "",
    page: PageNumber = 1,
) -> Response:
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.search_drivers(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE), q, driver_status or None
        )
        ids = [d.id for d in found.items]
        balances = await repository.drivers.balances(ids)
        tags = await repository.drivers.tags(ids)
    context = base_context(caller, "drivers") | {
        "drivers": found.items,
        "balances": balances,
        "tags": tags,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "q": q or "",
        "status": driver_status,
    }
    return render(request, "drivers.html", context)


@router.get("/drivers/{driver_id}")
async def driver(
    request: Request,
    driver_id: str,
    caller: PageCaller,
    ctx: Server,
    kind: KindFilter = "",
    page: PageNumber = 1,
) -> Response:
    async with ctx.db.reading() as uow:
        drivers = DashboardRepository(uow.session, caller.principal.organization_id).drivers
        found = await drivers.get(driver_id)
        balance = (await drivers.balances([found.id]))[found.id]
        tags = (await drivers.tags([found.id]))[found.id]
        ledger = await drivers.ledger(
            found.id, Page((page - 1) * PAGE_SIZE, PAGE_SIZE), kind=kind or None
        )
    context = base_context(caller, "drivers") | {
        "driver": found,
        "balance": balance,
        "tags": tags,
        "entries": ledger.items,
        "total": ledger.total,
        "page": page,
        "pages": max(1, -(-ledger.total // PAGE_SIZE)),
        "kind": kind,
        "kinds": KINDS,
    }
    return render(request, "driver.html", context)
