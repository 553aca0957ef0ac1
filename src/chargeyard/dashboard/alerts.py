"""Alerts: the list (open ones first by default) filtered on the server, an alert with its
notes, and for operators and admins the workflow of `PATCH /api/v1/alerts/{id}` (acknowledge,
resolve with a note, add a note) through `AlertService`, with its `AlertPatch` rules."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.alerts.domain import AlertStatus, Category, Urgency
from chargeyard.alerts.repository import AlertFilter, AlertRepository
from chargeyard.alerts.schemas import AlertPatch
from chargeyard.alerts.service import AlertService
from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.organizations.domain import Role
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

OPEN = (AlertStatus.TRIGGERED.value, AlertStatus.ACKNOWLEDGED.value)
STATES = {"open": OPEN, "any": ()} | {s.value: (s.value,) for s in AlertStatus}
State = Literal["open", "any", "Triggered", "Acknowledged", "Resolved"]
UrgencyFilter = Literal["", "High", "Medium", "Low"]


@router.get("/alerts")
async def alerts(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    state: State = "open",
    urgency: UrgencyFilter = "",
    category: Annotated[str | None, Query(max_length=32)] = None,
    station: Annotated[str | None, Query(max_length=64)] = None,
    page: PageNumber = 1,
) -> Response:
    where = AlertFilter(
        status=STATES[state],
        urgency=urgency or None,
        category=category or None,
        station_id=station or None,
    )
    async with ctx.db.reading() as uow:
        found = await AlertRepository(uow.session, caller.principal.organization_id).search(
            where, Page((page - 1) * PAGE_SIZE, PAGE_SIZE), "-started_at", None
        )
    context = base_context(caller, "alerts") | {
        "alerts": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "state": state,
        "urgency": urgency,
        "category": category or "",
        "station": station or "",
        "states": tuple(STATES),
        "urgencies": tuple(u.value for u in Urgency),
        "categories": tuple(c.value for c in Category),
    }
    return render(request, "alerts.html", context)


@router.get("/alerts/{alert_id}")
async def alert(request: Request, alert_id: str, caller: PageCaller, ctx: Server) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await AlertRepository(uow.session, organization_id).get(alert_id)
        # Notes name their authors as the audit trail does ("user:<id>"): show the e-mail.
        emails = await DashboardRepository(uow.session, organization_id).user_emails(
            n.author.removeprefix("user:") for n in found.notes if n.author.startswith("user:")
        )
    authors = {f"user:{user_id}": email for user_id, email in emails.items()}
    notes = sorted(found.notes, key=lambda n: n.created_at)
    context = base_context(caller, "alerts") | {"alert": found, "notes": notes, "authors": authors}
    return render(request, "alert.html", context)


@router.post("/alerts/{alert_id}")
async def change_alert(alert_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """Acknowledge, resolve (a note says why) or add a note: the REST API's PATCH."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(AlertPatch, {k: fields.get(k, "") for k in ("status", "note")})
    async with ctx.db.writing() as uow:
        service = AlertService(uow, caller.organization_id, ctx.clock)
        found = await service.alerts.get(alert_id)
        wanted = None if body.status is None else AlertStatus(body.status)
        await service.change(found, wanted, body.note, caller.actor)
        await uow.commit()
    return RedirectResponse(f"/alerts/{alert_id}", status.HTTP_303_SEE_OTHER)
