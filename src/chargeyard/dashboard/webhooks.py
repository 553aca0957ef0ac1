"""Webhooks and their delivery log, with the REST API's roles (`/api/v1/webhooks`): every role
reads subscriptions and attempts; admins subscribe (the signing secret is on the answer to that
form and nowhere else), ping, switch a subscription on or off and delete it, through
`WebhookService` and the dispatcher."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Conflict, Invalid
from chargeyard.organizations.domain import Role
from chargeyard.security.sealing import Sealer
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.service import check_whole_organization
from chargeyard.storage.repository import Page
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.webhooks.dispatcher import WebhookDispatcher
from chargeyard.webhooks.repository import SubscriptionRepository
from chargeyard.webhooks.schemas import WebhookCreate, WebhookPatch
from chargeyard.webhooks.service import CreatedSubscription, SubscriptionDraft, WebhookService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "url": "URL",
    "events": "Events (patterns, separated by commas)",
    "description": "Description",
}
REFUSED = (Invalid, Conflict)
"""What the new-subscription form answers on itself: a broken field or a URL the REST API
refuses (422), a conflict of the service (409)."""


def webhook_service(uow: UnitOfWork, organization_id: str, ctx: ServerContext) -> WebhookService:
    return WebhookService(uow, organization_id, ctx.clock, ctx.settings, Sealer(ctx.secret_key))


def patterns(text: str) -> list[str]:
    """Event patterns as the form takes them: separated by commas, spaces or lines."""
    return [p for p in text.replace(",", " ").split() if p]


async def webhooks_page(
    request: Request,
    ctx: ServerContext,
    caller: SignedIn,
    page: int,
    created: CreatedSubscription | None = None,
    status_code: int = 200,
    form: FieldForm | None = None,
) -> Response:
    async with ctx.db.reading() as uow:
        found = await SubscriptionRepository(uow.session, caller.principal.organization_id).search(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE)
        )
    context = base_context(caller, "webhooks") | {
        "webhooks": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "created": created,
        "form": form or FieldForm({"events": "*"}, labels=LABELS),
    }
    return render(request, "webhooks.html", context, status_code)


@router.get("/webhooks")
async def webhooks(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await webhooks_page(request, ctx, caller, page)


@router.post("/webhooks")
async def subscribe(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """Answered with the list itself (201), the new secret on it once; a refused subscription
    (a URL the REST API refuses, a broken pattern) comes back as sent, the refusal beside its
    field."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    try:
        body = validated(
            WebhookCreate,
            {
                "url": fields.get("url", ""),
                "events": patterns(fields.get("events", "")) or ["*"],
                "description": fields.get("description", ""),
            },
        )
        async with ctx.db.writing() as uow:
            created = await webhook_service(uow, caller.organization_id, ctx).create(
                SubscriptionDraft(**body.model_dump())
            )
            await uow.commit()
    except REFUSED as refusal:
        form = refused(fields, LABELS, refusal, "url")
        return await webhooks_page(request, ctx, signed_in, 1, None, refusal.status, form)
    return await webhooks_page(request, ctx, signed_in, 1, created, status.HTTP_201_CREATED)


@router.get("/webhooks/{webhook_id}")
async def webhook(
    request: Request,
    webhook_id: str,
    caller: PageCaller,
    ctx: Server,
    event_id: Annotated[str | None, Query(max_length=32)] = None,
    page: PageNumber = 1,
) -> Response:
    """A subscription and its delivery log, newest attempt first, optionally for one event.
    Deliveries carry every site's events: not for a site-scoped user."""
    check_whole_organization(caller.principal)
    async with ctx.db.reading() as uow:
        subscriptions = SubscriptionRepository(uow.session, caller.principal.organization_id)
        sub = await subscriptions.get(webhook_id)
        attempts = await subscriptions.attempts(
            sub.id, Page((page - 1) * PAGE_SIZE, PAGE_SIZE), event_id or None
        )
    context = base_context(caller, "webhooks") | {
        "webhook": sub,
        "attempts": attempts.items,
        "total": attempts.total,
        "page": page,
        "pages": max(1, -(-attempts.total // PAGE_SIZE)),
        "event_id": event_id or "",
    }
    return render(request, "webhook.html", context)


@router.post("/webhooks/{webhook_id}/ping")
async def ping(request: Request, webhook_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """Send a `webhook.ping` now; the attempt is at the top of the log the answer shows."""
    signed_in, _fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    async with ctx.db.reading() as uow:
        sub = await SubscriptionRepository(uow.session, caller.organization_id).get(webhook_id)
    dispatcher: WebhookDispatcher = request.app.state.webhook_dispatcher
    await dispatcher.ping(sub)
    return RedirectResponse(f"/webhooks/{webhook_id}", status.HTTP_303_SEE_OTHER)


@router.post("/webhooks/{webhook_id}/enabled")
async def switch(webhook_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """Switch deliveries on or off (a checkbox: absent means off), as PATCH `enabled`."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    body = validated(WebhookPatch, {"enabled": "true" if fields.get("enabled") else "false"})
    async with ctx.db.writing() as uow:
        service = webhook_service(uow, caller.organization_id, ctx)
        sub = await service.subscriptions.get(webhook_id)
        await service.update(sub, body.model_dump(exclude_unset=True))
        await uow.commit()
    return RedirectResponse(f"/webhooks/{webhook_id}", status.HTTP_303_SEE_OTHER)


@router.post("/webhooks/{webhook_id}/delete")
async def delete(webhook_id: str, acting: ActingCaller, ctx: Server) -> Response:
    signed_in, _fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    async with ctx.db.writing() as uow:
        subscriptions = SubscriptionRepository(uow.session, caller.organization_id)
        await subscriptions.delete(await subscriptions.get(webhook_id))
        await uow.commit()
    return RedirectResponse("/webhooks", status.HTTP_303_SEE_OTHER)
