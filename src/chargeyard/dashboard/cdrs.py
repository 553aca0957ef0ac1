"""CDRs as `/api/v1/cdrs` has them: the records of priced sessions, newest first, filtered on
the server by station, driver and whether a record is a credit; a CDR with its totals per
dimension, its tariff and the credit that cancels it. Operators and admins credit a CDR through
`CdrService.credit` with the REST API's body model (`CreditRequest`), so a form obeys the same
rules: a credit CDR, or one credited already, is 409. A site-confined caller sees its sites'
CDRs only (the same scoped repository)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.cdrs.repository import CdrFilter, CdrRepository
from chargeyard.cdrs.schemas import CreditRequest
from chargeyard.cdrs.service import CdrService
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.drivers.models import Driver
from chargeyard.organizations.domain import Role
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

KindFilter = Literal["", "charges", "credits"]


@router.get("/cdrs")
async def cdrs(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    station: Annotated[str | None, Query(max_length=64)] = None,
    driver: Annotated[str | None, Query(max_length=32)] = None,
    kind: KindFilter = "",
    page: PageNumber = 1,
) -> Response:
    where = CdrFilter(
        station_id=station.strip() or None if station else None,
        driver_id=driver or None,
        credit={"charges": False, "credits": True}.get(kind),
    )
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await CdrRepository(uow.session, organization_id).search(
            where, Page((page - 1) * PAGE_SIZE, PAGE_SIZE)
        )
    context = base_context(caller, "sessions") | {
        "cdrs": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "station": station or "",
        "driver": driver or "",
        "kind": kind,
    }
    return render(request, "cdrs.html", context)


@router.get("/cdrs/{cdr_id}")
async def cdr(request: Request, cdr_id: str, caller: PageCaller, ctx: Server) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        cdrs = CdrRepository(uow.session, organization_id)
        found = await cdrs.get(cdr_id)
        credited_by = None if found.credit else await cdrs.credit_of(found.id)
        drivers = await DashboardRepository(uow.session, organization_id).names(
            Driver, [found.driver_id]
        )
    context = base_context(caller, "sessions") | {
        "cdr": found,
        "doc": found.document,
        "credited_by": credited_by,
        "driver_name": drivers.get(found.driver_id or ""),
    }
    return render(request, "cdr.html", context)


@router.post("/cdrs/{cdr_id}/credit")
async def credit_cdr(cdr_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/cdrs/{id}/credit` (operator and up): a credit CDR with the amounts negated;
    a driver it was charged to is refunded. The answer is the credit CDR's page."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(CreditRequest, {"remark": fields.get("remark", "").strip()})
    async with ctx.db.writing() as uow:
        service = CdrService(uow, caller.organization_id, ctx.clock)
        credit = await service.credit(await service.cdrs.get(cdr_id), body.remark)
        await uow.commit()
    return RedirectResponse(f"/cdrs/{credit.id}", status.HTTP_303_SEE_OTHER)
