"""Energy prices as `/api/v1/energy-prices` has them: the time-of-use prices smart charging's
`cost` objective plans by (a circuit's own prices win over the organization's). Every role reads
them (a site-confined user the organization's and its circuits' prices, as the REST list);
operators and admins of the whole organization add one and delete one (the REST API's
`OrganizationOperator`) through `SmartChargingService.add_prices` with the REST API's `PriceIn`,
so a refused form comes back as sent with each refusal beside its field."""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
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
from chargeyard.events.payloads import ENERGY_PRICE_REMOVED
from chargeyard.load_management.models import PriceRow
from chargeyard.load_management.schemas import PriceIn
from chargeyard.load_management.service import SmartChargingService
from chargeyard.server_context import ServerContext

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "circuit_id": "Applies to",
    "starts_at": "From",
    "ends_at": "Until",
    "price_per_kwh": "Price per kWh",
}
TIMES = ("starts_at", "ends_at")
REFUSED = (Invalid, NotFound)
"""What the form answers on itself: a broken field or an interval that ends before it starts
(422), a circuit deleted since the page was loaded (404)."""


async def circuit_choices(service: SmartChargingService) -> list[tuple[str, str]]:
    """The circuits the service's caller sees, as (id, name), by name: what a price or a
    demand-response event may apply to, and how the lists name them."""
    rows = await service.circuits.all()
    return sorted(((row.id, row.name) for row in rows), key=lambda pair: pair[1].casefold())


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
        found = await service.records.listed(PriceRow, page_slice(page), PriceRow.starts_at)
        circuits = await circuit_choices(service)
    context: dict[str, Any] = base_context(caller, "circuits") | paging(found.total, page)
    context |= {
        "may_edit": may_edit_organization(context, caller),
        "prices": found.items,
        "circuit_names": dict(circuits),
        "targets": [("", "The whole organization"), *circuits],
        "form": form or FieldForm(labels=LABELS),
    }
    return render(request, "energy_prices.html", context, status_code)


@router.get("/energy-prices")
async def energy_prices(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _list_page(request, caller, ctx, page)


@router.post("/energy-prices")
async def add_energy_price(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/energy-prices` with one price (an operator of the whole organization);
    the times are the browser's, sent as instants."""
    sender = organization_sender(acting)
    try:
        body = sender.body(PriceIn, **sender.local_times(*TIMES))
        async with sender.writing(ctx) as uow:
            service = SmartChargingService(uow, sender.organization_id, ctx.clock)
            await service.add_prices([body.model_dump()])
    except REFUSED as refusal:
        about = "circuit_id" if isinstance(refusal, NotFound) else "ends_at"
        form = refused(sender.fields, LABELS, refusal, about, times=TIMES)
        return await _list_page(request, acting[0], ctx, 1, form, refusal.status)
    return see_other("/energy-prices")


@router.post("/energy-prices/{price_id}/delete")
async def delete_energy_price(price_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/energy-prices/{id}` (an operator of the whole organization)."""
    sender = organization_sender(acting)
    async with sender.writing(ctx) as uow:
        service = SmartChargingService(uow, sender.organization_id, ctx.clock)
        await service.remove(PriceRow, price_id, "Energy price", ENERGY_PRICE_REMOVED)
    return see_other("/energy-prices")
