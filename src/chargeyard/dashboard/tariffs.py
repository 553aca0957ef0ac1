"""Tariffs as `/api/v1/tariffs` has them: the list searched by name and filtered by currency on
the server, and a tariff's current prices (its OCPI elements and their restrictions) with its
versions (every role); operators and admins create tariffs and change them, a change of prices
making a new version in force from now on, through `TariffService` with the REST API's body
models (`TariffCreate`, `TariffPatch`) and its PATCH rule (`tariffs.schemas.patched`). A
refused form comes back as sent, each refusal beside its field or price line."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import as_shown
from chargeyard.dashboard.forms import FormInvalid, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.dashboard.tariff_forms import (
    DIMENSIONS,
    LABELS,
    PriceLine,
    by_line,
    form_lines,
    lines_of,
    sent_lines,
    tariff_body,
    tariff_values,
)
from chargeyard.errors import ChargeyardError, Invalid, PreconditionFailed
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page
from chargeyard.tariffs.schemas import TariffCreate, TariffPatch, definition, patched
from chargeyard.tariffs.service import TariffDraft, TariffService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

REFUSED = (Invalid, PreconditionFailed)
"""What a tariff form answers on itself: a broken field or pricing rule (422), a tariff changed
since the page was loaded (412)."""


def _refused(fields: dict[str, str], refusal: ChargeyardError) -> tuple[FieldForm, list[PriceLine]]:
    """The form and its lines as sent, each refusal beside its field or line (a pricing rule
    of the service that names no field, beside the lines)."""
    if isinstance(refusal, FormInvalid):
        refusal = by_line(refusal, fields)
    return refused(fields, LABELS, refusal, "elements", keep=("revision",)), sent_lines(fields)


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


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    search: tuple[str, str] = ("", ""),
    page: int = 1,
    sent: tuple[FieldForm, list[PriceLine]] | None = None,
    status_code: int = 200,
) -> Response:
    q, currency = search
    async with ctx.db.reading() as uow:
        found = await DashboardRepository(
            uow.session, caller.principal.organization_id
        ).search_tariffs(Page((page - 1) * PAGE_SIZE, PAGE_SIZE), q or None, currency or None)
    form, lines = sent or (
        FieldForm(tariff_values("", None, False, {"currency": "EUR"}), labels=LABELS),
        form_lines([]),
    )
    context = base_context(caller, "tariffs") | {
        "tariffs": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "q": q,
        "currency": currency,
        "form": form,
        "lines": lines,
        "dimensions": DIMENSIONS,
    }
    return render(request, "tariffs.html", context, status_code)


async def _tariff_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    tariff_id: str,
    sent: tuple[FieldForm, list[PriceLine]] | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.tariffs.get(tariff_id)
        versions = list(await repository.tariffs.versions(found.id))
    elements = [
        (element.get("price_components", []), restriction_text(element.get("restrictions")))
        for element in found.definition.get("elements", [])
    ]
    lines = lines_of(found.definition)
    values = tariff_values(found.name, found.description, found.is_default, found.definition)
    form, shown = sent or (FieldForm(values, labels=LABELS), form_lines(lines or []))
    context = base_context(caller, "tariffs") | {
        "tariff": found,
        "form": form,
        "lines": None if lines is None else shown,
        "dimensions": DIMENSIONS,
        "pricing": found.definition,
        "elements": elements,
        "versions": sorted(versions, key=lambda v: v.version, reverse=True),
    }
    return render(request, "tariff.html", context, status_code)


@router.get("/tariffs")
async def tariffs(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    currency: Annotated[str | None, Query(pattern="^([A-Z]{3})?$")] = None,
    page: PageNumber = 1,
) -> Response:
    return await _list_page(request, caller, ctx, (q or "", currency or ""), page)


@router.get("/tariffs/{tariff_id}")
async def tariff(request: Request, tariff_id: str, caller: PageCaller, ctx: Server) -> Response:
    return await _tariff_page(request, caller, ctx, tariff_id)


@router.post("/tariffs")
async def create_tariff(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new tariff form (operator and up): `POST /api/v1/tariffs`."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        body = validated(TariffCreate, tariff_body(fields, with_lines=True))
        async with ctx.db.writing() as uow:
            made = await TariffService(uow, caller.organization_id, ctx.clock).create(
                TariffDraft(
                    body.name, definition(body.model_dump()), body.description, body.is_default
                )
            )
            await uow.commit()
    except REFUSED as refusal:
        sent = _refused(fields, refusal)
        return await _list_page(request, signed_in, ctx, sent=sent, status_code=refusal.status)
    return RedirectResponse(f"/tariffs/{made.id}", status.HTTP_303_SEE_OTHER)


@router.post("/tariffs/{tariff_id}")
async def change_tariff(
    request: Request, tariff_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/tariffs/{id}` guarded by the revision
    the page showed (412 when the tariff changed meanwhile). Its price lines are sent only when
    the page showed them (a tariff the lines cannot express keeps its elements)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        async with ctx.db.writing() as uow:
            service = TariffService(uow, caller.organization_id, ctx.clock)
            tariff = await as_shown(service.tariffs, tariff_id, fields, "tariff")
            with_lines = lines_of(tariff.definition) is not None
            body = validated(TariffPatch, tariff_body(fields, with_lines=with_lines))
            await service.update(tariff, *patched(tariff.definition, body))
            await uow.commit()
    except REFUSED as refusal:
        sent = _refused(fields, refusal)
        return await _tariff_page(request, signed_in, ctx, tariff_id, sent, refusal.status)
    return RedirectResponse(f"/tariffs/{tariff_id}", status.HTTP_303_SEE_OTHER)
