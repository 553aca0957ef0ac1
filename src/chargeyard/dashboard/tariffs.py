"""Tariffs as `/api/v1/tariffs` has them: the list searched by name and filtered by currency on
the server, and a tariff's current prices (its OCPI elements and their restrictions) with its
versions (every role); operators and admins create tariffs and change them, a change of prices
making a new version in force from now on, through `TariffService` with the REST API's body
models (`TariffCreate`, `TariffPatch`) and its PATCH rule (`tariffs.schemas.patched`)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.form_handling import as_shown
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.dashboard.tariff_forms import DIMENSIONS, form_lines, lines_of, tariff_body
from chargeyard.organizations.domain import Role
from chargeyard.storage.repository import Page
from chargeyard.tariffs.schemas import TariffCreate, TariffPatch, definition, patched
from chargeyard.tariffs.service import TariffDraft, TariffService

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
        "lines": form_lines([]),
        "dimensions": DIMENSIONS,
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
    lines = lines_of(found.definition)
    context = base_context(caller, "tariffs") | {
        "tariff": found,
        "lines": None if lines is None else form_lines(lines),
        "dimensions": DIMENSIONS,
        "pricing": found.definition,
        "elements": elements,
        "versions": sorted(versions, key=lambda v: v.version, reverse=True),
    }
    return render(request, "tariff.html", context)


@router.post("/tariffs")
async def create_tariff(acting: ActingCaller, ctx: Server) -> Response:
    """The new tariff form (operator and up): `POST /api/v1/tariffs`."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(TariffCreate, tariff_body(fields, with_lines=True))
    async with ctx.db.writing() as uow:
        made = await TariffService(uow, caller.organization_id, ctx.clock).create(
            TariffDraft(body.name, definition(body.model_dump()), body.description, body.is_default)
        )
        await uow.commit()
    return RedirectResponse(f"/tariffs/{made.id}", status.HTTP_303_SEE_OTHER)


@router.post("/tariffs/{tariff_id}")
async def change_tariff(tariff_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/tariffs/{id}` guarded by the revision
    the page showed (412 when the tariff changed meanwhile). Its price lines are sent only when
    the page showed them (a tariff the lines cannot express keeps its elements)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    async with ctx.db.writing() as uow:
        service = TariffService(uow, caller.organization_id, ctx.clock)
        tariff = await as_shown(service.tariffs, tariff_id, fields, "tariff")
        with_lines = lines_of(tariff.definition) is not None
        body = validated(TariffPatch, tariff_body(fields, with_lines=with_lines))
        await service.update(tariff, *patched(tariff.definition, body))
        await uow.commit()
    return RedirectResponse(f"/tariffs/{tariff_id}", status.HTTP_303_SEE_OTHER)
