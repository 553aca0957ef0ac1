"""/api/v1/subscription-plans, /api/v1/subscriptions and /api/v1/drivers/{id}/subscriptions."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    set_etag,
    to_change,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.drivers.repository import DriverRepository
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.subscriptions.domain import RefundRule
from chargeyard.subscriptions.models import Subscription, SubscriptionPlan
from chargeyard.subscriptions.repository import PlanRepository, SubscriptionRepository
from chargeyard.subscriptions.schemas import (
    Activate,
    Cancel,
    PeriodOut,
    PlanCreate,
    PlanOut,
    PlanPatch,
    SubscriptionDetail,
    SubscriptionOut,
    SubscriptionPatch,
)
from chargeyard.subscriptions.service import PlanDraft, SubscriptionService

router = APIRouter(tags=["subscriptions"])


async def _detail(uow: UnitOfWork, organization_id: str, sub: Subscription) -> SubscriptionDetail:
    periods = await SubscriptionRepository(uow.session, organization_id).periods(sub.id)
    return SubscriptionDetail.model_validate(
        {
            **SubscriptionOut.model_validate(sub).model_dump(),
            "periods": [PeriodOut.model_validate(p) for p in periods],
        }
    )


@router.get("/subscription-plans", response_model=ListOf[PlanOut])
async def list_plans(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    status: str | None = None,
) -> ListOf[PlanOut]:
    result = await PlanRepository(uow.session, caller.organization_id).search(
        paging, status=status, updated_since=updated_since
    )
    return listing(result, paging, PlanOut)


@router.post("/subscription-plans", status_code=status.HTTP_201_CREATED, response_model=PlanOut)
async def create_plan(
    body: PlanCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> SubscriptionPlan:
    plan = await SubscriptionService(uow, caller.organization_id, ctx.clock).create_plan(
        PlanDraft(**body.model_dump())
    )
    await uow.commit()
    set_etag(response, plan.id, plan.revision)
    response.headers["Location"] = f"/api/v1/subscription-plans/{plan.id}"
    return plan


@router.get("/subscription-plans/{plan_id}", response_model=PlanOut)
async def get_plan(
    plan_id: str, caller: Viewer, uow: Reading, response: Response
) -> SubscriptionPlan:
    plan = await PlanRepository(uow.session, caller.organization_id).get(plan_id)
    set_etag(response, plan.id, plan.revision)
    return plan


@router.patch("/subscription-plans/{plan_id}", response_model=PlanOut)
async def update_plan(
    plan_id: str,
    body: PlanPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> SubscriptionPlan:
    """Rename, describe, or retire a plan (`"status": "retired"`: no new subscriptions, and
    running ones expire at the end of their period). Its fee and benefits do not change."""
    service = SubscriptionService(uow, caller.organization_id, ctx.clock)
    plan = await to_change(service.plans, plan_id, request)
    service.update_plan(plan, body.model_dump(exclude_unset=True))
    await uow.commit()
    set_etag(response, plan.id, plan.revision)
    return plan


@router.get("/subscriptions", response_model=ListOf[SubscriptionOut])
async def list_subscriptions(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    driver_id: str | None = None,
    plan_id: str | None = None,
    status: str | None = None,
) -> ListOf[SubscriptionOut]:
    """Newest first."""
    result = await SubscriptionRepository(uow.session, caller.organization_id).search(
        paging, driver_id=driver_id, plan_id=plan_id, status=status, updated_since=updated_since
    )
    return listing(result, paging, SubscriptionOut)


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionDetail)
async def get_subscription(
    subscription_id: str, caller: Viewer, uow: Reading, response: Response
) -> SubscriptionDetail:
    """The subscription with its periods (each with its fee's ledger entry and the kWh used)."""
    sub = await SubscriptionRepository(uow.session, caller.organization_id).get(subscription_id)
    set_etag(response, sub.id, sub.revision)
    return await _detail(uow, caller.organization_id, sub)


@router.patch("/subscriptions/{subscription_id}", response_model=SubscriptionDetail)
async def update_subscription(
    subscription_id: str,
    body: SubscriptionPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> SubscriptionDetail:
    service = SubscriptionService(uow, caller.organization_id, ctx.clock)
    sub = await to_change(service.subscriptions, subscription_id, request)
    await service.set_auto_renew(sub, body.auto_renew)
    await uow.commit()
    set_etag(response, sub.id, sub.revision)
    return await _detail(uow, caller.organization_id, sub)


@router.post("/subscriptions/{subscription_id}/cancel", response_model=SubscriptionDetail)
async def cancel_subscription(
    subscription_id: str,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    response: Response,
    body: Cancel | None = None,
) -> SubscriptionDetail:
    """End it now: its benefits stop, and the current period's fee is refunded on the driver's
    ledger (`refund`: its unused share by default, `full` or `none`). 409 if it has ended, so a
    retried cancel never refunds twice."""
    rule = RefundRule((body or Cancel()).refund)
    service = SubscriptionService(uow, caller.organization_id, ctx.clock)
    sub = await service.cancel(await service.subscriptions.locked(subscription_id), rule)
    await uow.commit()
    set_etag(response, sub.id, sub.revision)
    return await _detail(uow, caller.organization_id, sub)


@router.post(
    "/drivers/{driver_id}/subscriptions",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionDetail,
)
async def activate(
    driver_id: str, body: Activate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> SubscriptionDetail:
    """Subscribe the driver to a plan from now; the first month's fee is booked at once. 409
    when the driver has an active subscription, the plan is retired, or a prepaid balance does
    not cover the fee."""
    driver = await DriverRepository(uow.session, caller.organization_id).get(driver_id)
    sub = await SubscriptionService(uow, caller.organization_id, ctx.clock).activate(
        driver, body.plan_id, auto_renew=body.auto_renew
    )
    await uow.commit()
    set_etag(response, sub.id, sub.revision)
    response.headers["Location"] = f"/api/v1/subscriptions/{sub.id}"
    return await _detail(uow, caller.organization_id, sub)


@router.get("/drivers/{driver_id}/subscriptions", response_model=ListOf[SubscriptionOut])
async def driver_subscriptions(
    driver_id: str, caller: Viewer, uow: Reading, paging: Paging
) -> ListOf[SubscriptionOut]:
    await DriverRepository(uow.session, caller.organization_id).get(driver_id)
    result = await SubscriptionRepository(uow.session, caller.organization_id).search(
        paging, driver_id=driver_id
    )
    return listing(result, paging, SubscriptionOut)
