"""Drivers as `/api/v1/drivers` has them: the list searched by name or e-mail and filtered by
status on the server, with their balance; a driver with their ID tags and ledger (newest entry
first). Operators and admins add drivers, change them and record top-ups, through
`DriverService` with the REST API's body models (`DriverCreate`, `DriverPatch`, `TopUp`). The driver's page
also lists their subscriptions (newest first) with the forms to subscribe, switch auto-renewal
and cancel, which `subscriptions.py` answers, and the redeem-voucher form, which `vouchers.py`
answers. Fees, refunds, corrections and linking tags stay with the REST API."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    as_shown,
    form_sender,
    page_slice,
    paging,
    refused_on_page,
)
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.drivers.domain import EntryKind
from chargeyard.drivers.schemas import DriverCreate, DriverPatch, TopUp
from chargeyard.drivers.service import DriverDraft, DriverService
from chargeyard.errors import ChargeyardError, Conflict, Invalid, PreconditionFailed
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page
from chargeyard.subscriptions.repository import PlanRepository, SubscriptionRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

StatusFilter = Literal["", "enabled", "disabled"]
KINDS = tuple(kind.value for kind in EntryKind)
DRIVER_FIELDS = ("name", "email", "status", "payment_mode", "currency")
LABELS = {
    "name": "Driver name",
    "email": "Driver e-mail",
    "status": "Driver status",
    "payment_mode": "Payment",
    "currency": "Currency",
    "id_tags": "ID tags",
}
EDIT_LABELS = {name: LABELS[name] for name in DRIVER_FIELDS}
NEW_DRIVER = {"status": "enabled", "payment_mode": "postpaid", "currency": "EUR"}
REFUSED = (Invalid, Conflict)
"""What the new-driver form answers on itself: a broken field or an unknown ID tag (422), an
e-mail or a tag taken (409)."""
PLAN_CHOICES = 200
"""The active plans the subscribe form offers, by name; the REST API takes any."""
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
    return await _list_page(request, caller, ctx, (q or "", driver_status), page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    where: tuple[str, str] = ("", ""),
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    q, driver_status = where
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.search_drivers(page_slice(page), q or None, driver_status or None)
        ids = [d.id for d in found.items]
        balances = await repository.drivers.balances(ids)
        tags = await repository.drivers.tags(ids)
    context = base_context(caller, "drivers") | paging(found.total, page)
    context |= {
        "drivers": found.items,
        "balances": balances,
        "tags": tags,
        "q": q,
        "status": driver_status,
        "form": form or FieldForm(NEW_DRIVER, labels=LABELS),
    }
    return render(request, "drivers.html", context, status_code)


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
        organization_id = caller.principal.organization_id
        subscriptions = await SubscriptionRepository(uow.session, organization_id).search(
            Page(0, PAGE_SIZE), driver_id=found.id
        )
        plan_repository = PlanRepository(uow.session, organization_id)
        plans = await plan_repository.names([s.plan_id for s in subscriptions.items])
        offered = await plan_repository.search(Page(0, PLAN_CHOICES), status="active")
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
        "subscriptions": subscriptions.items,
        "plans": plans,
        "offered": [p for p in offered.items if p.currency == found.currency],
        "edit_form": FieldForm(
            {name: getattr(found, name) for name in DRIVER_FIELDS}, labels=LABELS
        ),
    }
    return render(request, "driver.html", context)


def see_other(driver_id: str) -> Response:
    return RedirectResponse(f"/drivers/{driver_id}", status.HTTP_303_SEE_OTHER)


@router.post("/drivers")
async def create_driver(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new driver form (operator and up): `POST /api/v1/drivers`; ID tags are the values
    of existing tags, separated by commas or spaces. A refused driver comes back as sent, each
    refusal beside its field (a taken e-mail beside the e-mail, an unknown tag beside the
    tags)."""
    sender = form_sender(acting)
    fields = sender.fields
    try:
        sent: dict[str, object] = {k: v for k, v in fields.items() if k in DRIVER_FIELDS}
        sent["id_tags"] = fields.get("id_tags", "").replace(",", " ").split()
        body = validated(DriverCreate, sent)
        async with sender.writing(ctx) as uow:
            made = await DriverService(uow, sender.organization_id, ctx.clock).create(
                DriverDraft(**(body.model_dump() | {"id_tags": tuple(body.id_tags)}))
            )
    except REFUSED as refusal:
        about = "email" if isinstance(refusal, Conflict) else "id_tags"
        form = refused(fields, LABELS, refusal, about)
        return await _list_page(request, acting[0], ctx, ("", ""), 1, form, refusal.status)
    return see_other(made.id)


@router.post("/drivers/{driver_id}")
async def change_driver(
    request: Request, driver_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/drivers/{id}`, guarded by the revision
    the page showed (412 when the driver changed meanwhile). A refusal comes back as the
    driver's page with the form as sent, each refusal beside its field (a taken e-mail beside
    the e-mail, a currency that may no longer change beside the currency)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        body = validated(DriverPatch, {k: v for k, v in fields.items() if k in DRIVER_FIELDS})
        async with ctx.db.writing() as uow:
            service = DriverService(uow, caller.organization_id, ctx.clock)
            found = await as_shown(service.drivers, driver_id, fields, "driver")
            await service.update(found, body.model_dump(exclude_unset=True))
            await uow.commit()
    except (*REFUSED, PreconditionFailed) as refusal:
        form = refused(fields, EDIT_LABELS, refusal, _edit_about(refusal), keep=("revision",))
        return await refused_on_page(
            request, refusal, lambda: driver(request, driver_id, signed_in, ctx), edit_form=form
        )
    return see_other(driver_id)


def _edit_about(refusal: ChargeyardError) -> str:
    """The edit form's field a service's refusal is about (its message names no field)."""
    if "e-mail" in refusal.detail:
        return "email"
    return "currency" if "currency" in refusal.detail else ""


@router.post("/drivers/{driver_id}/top-up")
async def top_up(request: Request, driver_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """A payment the operator records (operator and up): `POST /api/v1/drivers/{id}/balance`;
    a refusal (an amount that is none or not positive, another currency, 422) is said above
    the driver's page."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        body = validated(TopUp, {k: v for k, v in fields.items() if k in TopUp.model_fields})
        async with ctx.db.writing() as uow:
            service = DriverService(uow, caller.organization_id, ctx.clock)
            found = await service.drivers.get(driver_id)
            await service.top_up(found, body.amount, body.currency, body.reference)
            await uow.commit()
    except REFUSED as refusal:
        return await refused_on_driver_page(request, refusal, driver_id, signed_in, ctx)
    return see_other(driver_id)


async def refused_on_driver_page(
    request: Request,
    refusal: ChargeyardError,
    driver_id: str,
    caller: SignedIn,
    ctx: ServerContext,
) -> Response:
    """A refused form of the driver's page (top-up, voucher, subscription): the page with the
    refusal above it."""
    return await refused_on_page(request, refusal, lambda: driver(request, driver_id, caller, ctx))
