"""Subscription plans as `/api/v1/subscription-plans` has them, and a driver's subscriptions
acted on from the driver's page. Operators and admins create a plan, retire one or offer it
again, subscribe a driver, switch auto-renewal and cancel, through `SubscriptionService` with
the REST API's body models (`PlanCreate`, `PlanPatch`, `Activate`, `SubscriptionPatch`), so a
form obeys the same rules as a JSON body: a retired plan, a second active subscription or a
prepaid balance short of the fee is 409, a plan in another currency 422, an ended subscription
409 when cancelled again."""

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.drivers import refused_on_driver_page
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    ROW_REFUSALS,
    form_sender,
    page_slice,
    paging,
    refused_on_page,
    see_other,
)
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.drivers.repository import DriverRepository
from chargeyard.errors import ChargeyardError, Conflict, Invalid
from chargeyard.server_context import ServerContext
from chargeyard.subscriptions.repository import PlanRepository
from chargeyard.subscriptions.schemas import Activate, PlanCreate, PlanPatch, SubscriptionPatch
from chargeyard.subscriptions.service import PlanDraft, SubscriptionService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

StatusFilter = Literal["", "active", "retired"]


LABELS = {
    "name": "Plan name",
    "fee": "Fee a month",
    "currency": "Currency",
    "included_kwh": "Included kWh a month",
    "discount_percent": "Discount beyond (%)",
    "description": "Description",
}
RENAME_LABELS = {"name": "New name"}
"""A plan row's rename form."""
REFUSED = (Invalid, Conflict)
"""What the new-plan form answers on itself: a broken term (422), a conflict of the service
(409)."""


@router.get("/subscription-plans")
async def plans(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    plan_status: Annotated[StatusFilter, Query(alias="status")] = "",
    page: PageNumber = 1,
) -> Response:
    return await _list_page(request, caller, ctx, plan_status, page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    plan_status: str = "",
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        found = await PlanRepository(uow.session, caller.principal.organization_id).search(
            page_slice(page), status=plan_status or None
        )
    context = (
        base_context(caller, "drivers")
        | paging(found.total, page)
        | {
            "plans": found.items,
            "status": plan_status,
            "form": form or FieldForm({"currency": "EUR"}, labels=LABELS),
            "blank_rename": FieldForm(labels=RENAME_LABELS),
            "rename_id": "",
        }
    )
    return render(request, "subscription_plans.html", context, status_code)


@router.post("/subscription-plans")
async def create_plan(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new plan form (operator and up): `POST /api/v1/subscription-plans`; a refused plan
    comes back as sent, each refusal beside its field."""
    sender = form_sender(acting)
    try:
        body = sender.body(PlanCreate)
        async with sender.writing(ctx) as uow:
            await SubscriptionService(uow, sender.organization_id, ctx.clock).create_plan(
                PlanDraft(**body.model_dump())
            )
    except REFUSED as refusal:
        form = refused(sender.fields, LABELS, refusal)
        return await _list_page(request, acting[0], ctx, "", 1, form, refusal.status)
    return see_other("/subscription-plans")


@router.post("/subscription-plans/{plan_id}")
async def change_plan(
    request: Request, plan_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """Rename a plan, retire it or offer it again (operator and up): `PATCH /api/v1/
    subscription-plans/{id}` with the fields the form sends (`name`, `status`). A retired plan
    takes no new subscriptions; running ones expire at the end of their period. A refused
    rename (an empty or overlong name) comes back on the list with the name as sent and the
    refusal beside it."""
    sender = form_sender(acting)
    try:
        body = sender.body(PlanPatch)
        async with sender.writing(ctx) as uow:
            service = SubscriptionService(uow, sender.organization_id, ctx.clock)
            plan = await service.plans.get(plan_id)
            service.update_plan(plan, body.model_dump(exclude_unset=True))
    except ROW_REFUSALS as refusal:
        form = refused(sender.fields, RENAME_LABELS, refusal, "name")
        page = partial(_list_page, request, acting[0], ctx)
        return await refused_on_page(request, refusal, page, rename_form=form, rename_id=plan_id)
    return see_other("/subscription-plans")


@router.post("/drivers/{driver_id}/subscriptions")
async def subscribe(
    request: Request, driver_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The driver page's subscribe form (operator and up): `POST /api/v1/drivers/{id}/
    subscriptions`; the first period's fee is booked at once. An unticked "renew" box is
    `auto_renew: false`. A refusal (a plan retired or gone, one the driver holds) is said above
    the driver's page."""
    sender = form_sender(acting)
    try:
        body = sender.body(Activate, auto_renew=bool(sender.fields.get("renew")))
        async with sender.writing(ctx) as uow:
            driver = await DriverRepository(uow.session, sender.organization_id).get(driver_id)
            await SubscriptionService(uow, sender.organization_id, ctx.clock).activate(
                driver, body.plan_id, auto_renew=body.auto_renew
            )
    except ROW_REFUSALS as refusal:
        return await refused_on_driver_page(request, refusal, driver_id, acting[0], ctx)
    return see_other(f"/drivers/{driver_id}")


@router.post("/subscriptions/{subscription_id}/auto-renew")
async def auto_renew(
    request: Request, subscription_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """Renew at the period's end or let it expire (operator and up): `PATCH /api/v1/
    subscriptions/{id}`'s `SubscriptionPatch`."""
    sender = form_sender(acting)
    try:
        body = sender.body(SubscriptionPatch)
        async with sender.writing(ctx) as uow:
            service = SubscriptionService(uow, sender.organization_id, ctx.clock)
            subscription = await service.subscriptions.get(subscription_id)
            await service.set_auto_renew(subscription, body.auto_renew)
    except ROW_REFUSALS as refusal:
        return await _on_driver_page(request, refusal, subscription_id, acting[0], ctx)
    return see_other(f"/drivers/{subscription.driver_id}")


@router.post("/subscriptions/{subscription_id}/cancel")
async def cancel(
    request: Request, subscription_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """End a subscription now (operator and up): `POST /api/v1/subscriptions/{id}/cancel`;
    its benefits stop and the fee paid is not refunded. A refusal (ended already, 409) is said
    above the driver's page."""
    sender = form_sender(acting)
    try:
        async with sender.writing(ctx) as uow:
            service = SubscriptionService(uow, sender.organization_id, ctx.clock)
            subscription = await service.cancel(await service.subscriptions.get(subscription_id))
    except ROW_REFUSALS as refusal:
        return await _on_driver_page(request, refusal, subscription_id, acting[0], ctx)
    return see_other(f"/drivers/{subscription.driver_id}")


async def _on_driver_page(
    request: Request,
    refusal: ChargeyardError,
    subscription_id: str,
    caller: SignedIn,
    ctx: ServerContext,
) -> Response:
    """A refused subscription button: the page of the driver it belongs to (the form's path
    does not name the driver) with the refusal above it; a subscription that is not the
    caller's organization's is 404, as the REST API has it."""
    async with ctx.db.reading() as uow:
        service = SubscriptionService(uow, caller.principal.organization_id, ctx.clock)
        driver_id = (await service.subscriptions.get(subscription_id)).driver_id
    return await refused_on_driver_page(request, refusal, driver_id, caller, ctx)
