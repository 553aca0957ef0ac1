"""Demand-response events as `/api/v1/demand-response-events` has them: a curtailment caps a
circuit for its window, a V2G window lets its bidirectional EVSEs discharge. Every role reads them
(a site-confined user its circuits' events, as the REST list); operators and admins of the whole
organization add one and cancel one (the REST API's `OrganizationOperator`) through
`SmartChargingService.add_demand_response` with the REST API's `DemandResponseIn`, so a refused
form comes back as sent with each refusal beside its field."""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.energy_prices import circuit_choices
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    may_edit_organization,
    organization_sender,
    page_slice,
    paging,
    see_other,
)
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid, NotFound
from chargeyard.events.payloads import DEMAND_RESPONSE_REMOVED
from chargeyard.load_management.domain import DemandResponseKind
from chargeyard.load_management.models import DemandResponseRow
from chargeyard.load_management.schemas import DemandResponseIn
from chargeyard.load_management.service import SmartChargingService
from chargeyard.server_context import ServerContext

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "circuit_id": "Circuit",
    "kind": "Kind",
    "starts_at": "From",
    "ends_at": "Until",
    "max_power_kw": "Cap (kW)",
}
KINDS = {
    DemandResponseKind.CURTAILMENT.value: "Curtailment (cap the circuit)",
    DemandResponseKind.V2G.value: "V2G (bidirectional EVSEs may discharge)",
}
TIMES = ("starts_at", "ends_at")
REFUSED = (Invalid, NotFound)
"""What the form answers on itself: a broken field, an interval that ends before it starts or a
curtailment without its cap (422), a circuit deleted since the page was loaded (404)."""


def _about(refusal: Invalid | NotFound) -> str:
    """The field a service's refusal is about (the body model's name their own)."""
    if isinstance(refusal, NotFound):
        return "circuit_id"
    return "max_power_kw" if "max_power_kw" in refusal.detail else "ends_at"


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        service = SmartChargingService(uow, caller.principal.organization_id, ctx.clock)
        found = await service.records.listed(
            DemandResponseRow, page_slice(page), DemandResponseRow.starts_at
        )
        circuits = await circuit_choices(service)
    blank = FieldForm({"kind": DemandResponseKind.CURTAILMENT.value}, labels=LABELS)
    context: dict[str, Any] = base_context(caller, "circuits") | paging(found.total, page)
    context |= {
        "may_edit": may_edit_organization(context, caller),
        "events": found.items,
        "circuits": circuits,
        "circuit_names": dict(circuits),
        "kinds": KINDS,
        "form": form or blank,
    }
    return render(request, "demand_response.html", context, status_code)


@router.get("/demand-response-events")
async def demand_response_events(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _list_page(request, caller, ctx, page)


@router.post("/demand-response-events")
async def add_demand_response_event(
    request: Request, acting: ActingCaller, ctx: Server
) -> Response:
    """`POST /api/v1/demand-response-events` (an operator of the whole organization); the
    times are the browser's, sent as instants."""
    sender = organization_sender(acting)
    try:
        body = sender.body(DemandResponseIn, **sender.local_times(*TIMES))
        async with sender.writing(ctx) as uow:
            service = SmartChargingService(uow, sender.organization_id, ctx.clock)
            await service.add_demand_response(body.model_dump())
    except REFUSED as refusal:
        form = refused(sender.fields, LABELS, refusal, _about(refusal), times=TIMES)
        return await _list_page(request, acting[0], ctx, 1, form, refusal.status)
    return see_other("/demand-response-events")


@router.post("/demand-response-events/{event_id}/delete")
async def cancel_demand_response_event(
    event_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`DELETE /api/v1/demand-response-events/{id}` (an operator of the whole organization):
    the event is cancelled, and the next plan no longer counts it."""
    sender = organization_sender(acting)
    async with sender.writing(ctx) as uow:
        service = SmartChargingService(uow, sender.organization_id, ctx.clock)
        await service.remove(
            DemandResponseRow, event_id, "Demand-response event", DEMAND_RESPONSE_REMOVED
        )
    return see_other("/demand-response-events")
