"""The reports page: pick a report kind and its filters, then download it at once (CSV or
XLSX, as `GET /api/v1/reports/{kind}.{format}`) or have it built in the background
(`POST /api/v1/reports`) and follow its status on its page until the file is ready.

Every role may, as in the REST API (viewer and up): the same filter checks (`reports.kinds`),
the same report builders and responses, the same request queue (`ReportRequests`).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import base_context
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.report_forms import filter_fields, given_filters
from chargeyard.errors import Invalid
from chargeyard.organizations.domain import Role
from chargeyard.reports import endpoints as rest
from chargeyard.reports.domain import ReportFormat, ReportKind
from chargeyard.reports.kinds import KINDS, filters_of, report_of
from chargeyard.reports.repository import ReportRequestRepository
from chargeyard.reports.requests import ReportRequests
from chargeyard.reports.service import stream
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

RECENT = 20


def chosen(value: str | None, enum: type[ReportKind] | type[ReportFormat], default: Any) -> Any:
    if not value:
        return default
    try:
        return enum(value)
    except ValueError:
        raise Invalid(
            f"no such choice {value!r}: one of {', '.join(e.value for e in enum)}"
        ) from None


@router.get("/reports")
async def reports(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    picked: ReportKind = chosen(kind, ReportKind, ReportKind.TRANSACTIONS)
    async with ctx.db.reading() as uow:
        recent = await ReportRequestRepository(
            uow.session, caller.principal.organization_id
        ).search(Page(0, RECENT))
    context = base_context(caller, "reports") | {
        "kinds": [k.value for k in KINDS],
        "kind": picked.value,
        "formats": [f.value for f in ReportFormat],
        "fields": filter_fields(KINDS[picked].filters),
        "recent": recent.items,
        "total": recent.total,
    }
    return render(request, "reports.html", context)


@router.post("/reports")
async def make_report(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The form's two buttons: download now (`action=download`), or queue it."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.VIEWER)
    kind: ReportKind = chosen(fields.get("kind"), ReportKind, None)
    if kind is None:
        raise Invalid("kind: choose a report")
    format: ReportFormat = chosen(fields.get("format"), ReportFormat, ReportFormat.CSV)
    given = given_filters(KINDS[kind].filters, fields)
    if fields.get("action") == "download":
        report = report_of(kind, caller.organization_id, filters_of(kind, given), ctx.clock)
        name = f"{kind.value}.{format.value}"
        if format is ReportFormat.XLSX:
            return await rest.xlsx_response(ctx, report, name)
        return rest.csv_response(stream(ctx.db, report), name)
    async with ctx.db.writing() as uow:
        row = await ReportRequests(uow, caller.organization_id, ctx.clock).request(
            kind, format, given, caller.actor
        )
        await uow.commit()
    request.app.state.reports.wakeup.fire()
    return RedirectResponse(f"/reports/{row.id}", status.HTTP_303_SEE_OTHER)


@router.get("/reports/{report_id}")
async def report(request: Request, report_id: str, caller: PageCaller, ctx: Server) -> Response:
    async with ctx.db.reading() as uow:
        row = await ReportRequests(uow, caller.principal.organization_id, ctx.clock).get(report_id)
    return render(request, "report.html", base_context(caller, "reports") | {"report": row})


@router.get("/reports/{report_id}/content")
async def report_content(report_id: str, caller: PageCaller, ctx: Server) -> Response:
    """The finished file, answered by the REST API's own download (409 until it is ready)."""
    async with ctx.db.reading() as uow:
        return await rest.report_content(report_id, caller.principal, uow, ctx)
