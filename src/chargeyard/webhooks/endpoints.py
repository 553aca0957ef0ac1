"""/api/v1/webhooks: subscriptions, secret rotation, the delivery log, redelivery and ping."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from chargeyard.api.dependencies import (
    Admin,
    OrganizationViewer,
    Paging,
    Reading,
    Server,
    Writing,
    conditional_update,
    set_etag,
    to_change,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.security.sealing import Sealer
from chargeyard.server_context import ServerContext
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.webhooks.dispatcher import WebhookDispatcher
from chargeyard.webhooks.repository import SubscriptionRepository
from chargeyard.webhooks.schemas import (
    AttemptOut,
    RedeliverIn,
    RedeliverOut,
    SecretOut,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
    WebhookPatch,
)
from chargeyard.webhooks.service import SubscriptionDraft, WebhookService

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def current_dispatcher(request: Request) -> WebhookDispatcher:
    found: WebhookDispatcher = request.app.state.webhook_dispatcher
    return found


Dispatcher = Annotated[WebhookDispatcher, Depends(current_dispatcher)]


def service(uow: UnitOfWork, organization_id: str, ctx: ServerContext) -> WebhookService:
    return WebhookService(uow, organization_id, ctx.clock, ctx.settings, Sealer(ctx.secret_key))


@router.get("", response_model=ListOf[WebhookOut])
async def list_webhooks(
    caller: OrganizationViewer, uow: Reading, paging: Paging
) -> ListOf[WebhookOut]:
    result = await SubscriptionRepository(uow.session, caller.organization_id).search(paging)
    return listing(result, paging, WebhookOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookCreated)
async def create_webhook(
    body: WebhookCreate, caller: Admin, uow: Writing, ctx: Server, response: Response
) -> WebhookCreated:
    created = await service(uow, caller.organization_id, ctx).create(
        SubscriptionDraft(**body.model_dump())
    )
    await uow.commit()
    sub = created.subscription
    set_etag(response, sub.id, sub.revision)
    response.headers["Location"] = f"/api/v1/webhooks/{sub.id}"
    out = WebhookOut.model_validate(sub)
    return WebhookCreated(**out.model_dump(), secret=created.secret)


@router.get("/{webhook_id}", response_model=WebhookOut)
async def get_webhook(
    webhook_id: str, caller: OrganizationViewer, uow: Reading, response: Response
) -> WebhookOut:
    sub = await SubscriptionRepository(uow.session, caller.organization_id).get(webhook_id)
    set_etag(response, sub.id, sub.revision)
    return WebhookOut.model_validate(sub)


@router.patch("/{webhook_id}", response_model=WebhookOut)
async def update_webhook(
    webhook_id: str,
    body: WebhookPatch,
    caller: Admin,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> WebhookOut:
    webhooks = service(uow, caller.organization_id, ctx)
    sub = await conditional_update(
        webhooks.subscriptions,
        webhook_id,
        body,
        webhooks.update,
        uow,
        request,
        response,
        replace=False,
    )
    return WebhookOut.model_validate(sub)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_webhook(webhook_id: str, caller: Admin, uow: Writing, request: Request) -> None:
    subscriptions = SubscriptionRepository(uow.session, caller.organization_id)
    await subscriptions.delete(await to_change(subscriptions, webhook_id, request))
    await uow.commit()


@router.post("/{webhook_id}/rotate-secret", response_model=SecretOut)
async def rotate_secret(webhook_id: str, caller: Admin, uow: Writing, ctx: Server) -> SecretOut:
    """A new secret; the old one keeps signing beside it for `webhooks_secret_grace_s`."""
    webhooks = service(uow, caller.organization_id, ctx)
    sub = await webhooks.subscriptions.locked(webhook_id)  # the change raises its revision
    secret = await webhooks.rotate_secret(sub)
    await uow.commit()
    return SecretOut(secret=secret, previous_secret_expires_at=sub.previous_secret_expires_at)


@router.get("/{webhook_id}/deliveries", response_model=ListOf[AttemptOut])
async def list_deliveries(
    webhook_id: str,
    caller: OrganizationViewer,
    uow: Reading,
    paging: Paging,
    event_id: str | None = None,
) -> ListOf[AttemptOut]:
    """The delivery log, newest attempt first."""
    subscriptions = SubscriptionRepository(uow.session, caller.organization_id)
    sub = await subscriptions.get(webhook_id)
    return listing(await subscriptions.attempts(sub.id, paging, event_id), paging, AttemptOut)


@router.post("/{webhook_id}/redeliver", status_code=202, response_model=RedeliverOut)
async def redeliver(
    webhook_id: str,
    body: RedeliverIn,
    caller: Admin,
    uow: Writing,
    ctx: Server,
    dispatcher: Dispatcher,
) -> RedeliverOut:
    """Send one event (`event_id`) or the matching events of a time range again."""
    webhooks = service(uow, caller.organization_id, ctx)
    sub = await webhooks.subscriptions.get(webhook_id)
    queued = await webhooks.redeliver(sub, body.event_id, body.since, body.until)
    await uow.commit()
    dispatcher.wakeup.fire()
    return RedeliverOut(queued=queued)


@router.post("/{webhook_id}/ping", response_model=AttemptOut)
async def ping(webhook_id: str, caller: Admin, ctx: Server, dispatcher: Dispatcher) -> AttemptOut:
    """Send a `webhook.ping` now and answer with the logged attempt."""
    async with ctx.db.reading() as uow:
        sub = await SubscriptionRepository(uow.session, caller.organization_id).get(webhook_id)
    return AttemptOut.model_validate(await dispatcher.ping(sub))
