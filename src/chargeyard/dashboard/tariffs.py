"""Tariffs, read-only as every role sees them in `/api/v1/tariffs`: the list searched by name
and filtered by currency on the server, and a tariff's current prices (its OCPI elements and
their restrictions) with its versions. Changing prices stays with the REST API."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

RESTRICTION_WORDS = {
    "start_time": "from",
    "end_time": "until",
    "start_date": "from day",
    "end_date": "until day",
    "min_kwh": "at least kWh",
    "max_kwh": "below kWh",
    "min_power": "at least kW",
    "max_power": "below kW",
    "min_duration": "after seconds",
    "max_duration": "before seconds",
}


def restriction_text(restrictions: dict[str, Any] | None) -> str:
    """An element's restrictions in words ("always" for none): what the page shows."""
    if not restrictions:
        return "always"
    words = [
        f"{RESTRICTION_WORDS[key]} {value}"
        for key, value in restrictions.items()
        if key in RESTRICTION_WORDS and value not in (None, "")
    ]
    days = restrictions.get("day_of_week") or []
    if days:
        words.append("on " + ", ".join(str(d).title() for d in days))
    return "; ".join(words) or "always"


@router.get("/tariffs")
async def tariffs(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    currency: Annotated[str | None, Query(pattern="^([A-Z]{3})?$")] = None,
    page: PageNumber = 1,
) -> Response:
    async with ctx.db.reading() as uow:
        found = await DashboardRepository(
            uow.session, caller.principal.organization_id
        ).search_tariffs(Page((page - 1) * PAGE_SIZE, PAGE_SIZE), q, currency or None)
    context = base_context(caller, "tariffs") | {
        "tariffs": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "q": q or "",
        "currency": currency or "",
    }
    return render(request, "tariffs.html", context)


@router.get("/tariffs/{tariff_id}")
async def tariff(request: Request, tariff_id: str, caller: PageCaller, ctx: Server) -> Response:
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.tariffs.get(tariff_id)
        versions = list(await repository.tariffs.versions(found.id))
    elements = [
        (element.get("price_components", []), restriction_text(element.get("restrictions")))
        for element in found.definition.get("elements", [])
    ]
    context = base_context(caller, "tariffs") | {
        "tariff": found,
        "pricing": found.definition,
        "elements": elements,
        "versions": sorted(versions, key=lambda v: v.version, reverse=True),
    }
    return render(request, "tariff.html", context)
