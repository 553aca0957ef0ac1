"""Alert notifications as `/api/v1/alert-notifications` has them: the organization's e-mail
channel (on or off, who is mailed), each alert rule's choices (e-mail on or off, its own
recipients or the organization's, whether its alert events go to webhook subscriptions) and the
digests sent or waiting. Every role reads the settings; the digests gather the whole
organization's alerts, so a site-confined user does not see them (403 in the REST API). Only
admins change the settings (the REST API's `Admin`), through `ChannelService` with the REST
API's `AlertMailChannelPatch` and `RuleChannelPatch`; a refused form comes back as sent with
each refusal beside its field."""

from typing import Literal

from fastapi import APIRouter, Request, Response

from chargeyard.alert_notifications.repository import MailRepository
from chargeyard.alert_notifications.schemas import AlertMailChannelPatch, RuleChannelPatch
from chargeyard.alert_notifications.service import ChannelService
from chargeyard.alerts.domain import RULES, rule_named
from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import form_sender, page_slice, paging, see_other
from chargeyard.dashboard.forms import listed
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.scope import site_scope_of

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

DigestStatus = Literal["", "Pending", "Sent", "Failed"]
CHANNEL_LABELS = {"enabled": "Send alert e-mail", "recipients": "Recipients"}
RULE_LABELS = {
    "email": "E-mail",
    "recipients": "Its own recipients",
    "webhook": "Alert events to webhooks",
}
ON_OFF = [("true", "On"), ("false", "Off")]


def _on(value: bool) -> str:
    return "true" if value else "false"


def _addresses(addresses: tuple[str, ...] | None) -> str:
    return "" if addresses is None else "\n".join(addresses)


async def _page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    status_filter: str = "",
    page: int = 1,
    sent: tuple[str, FieldForm] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; `sent` is the form that came back refused (`channel` or a rule's name), drawn
    as it was sent instead of as stored."""
    organization_id = caller.principal.organization_id
    whole = site_scope_of(organization_id) is None
    async with ctx.db.reading() as uow:
        channel, rules = await ChannelService(uow, organization_id, ctx.clock).current()
        digests = None
        if whole:
            digests = await MailRepository(uow.session, organization_id).search(
                status_filter or None, page_slice(page)
            )
    forms = {
        "channel": FieldForm(
            {"enabled": _on(channel.enabled), "recipients": _addresses(channel.recipients)},
            labels=CHANNEL_LABELS,
        )
    } | {
        name.value: FieldForm(
            {
                "email": _on(rule.email),
                "recipients": _addresses(rule.recipients),
                "webhook": _on(rule.webhook),
            },
            labels=RULE_LABELS,
        )
        for name, rule in rules.items()
    }
    if sent is not None:
        forms[sent[0]] = sent[1]
    context = base_context(caller, "alerts") | {
        "channel": channel,
        "rules": [(RULES[name], rule) for name, rule in rules.items()],
        "forms": forms,
        "on_off": ON_OFF,
        "available": ctx.settings.smtp_host is not None,
        "window_s": ctx.settings.alerts_mail_window_s,
        "digests": None if digests is None else digests.items,
        "status_filter": status_filter,
        "statuses": ("Pending", "Sent", "Failed"),
        "may_configure": caller.may(Role.ADMIN),
    }
    if digests is not None:
        context |= paging(digests.total, page)
    return render(request, "alert_notifications.html", context, status_code)


@router.get("/alert-notifications")
async def alert_notifications(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    status: DigestStatus = "",
    page: PageNumber = 1,
) -> Response:
    return await _page(request, caller, ctx, status, page)


@router.post("/alert-notifications")
async def change_channel(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`PATCH /api/v1/alert-notifications` with both fields (admins): e-mail on or off and the
    recipients, typed as a list (none: nobody is mailed)."""
    sender = form_sender(acting, Role.ADMIN)
    try:
        body = sender.body(
            AlertMailChannelPatch, recipients=listed(sender.fields.get("recipients", ""))
        )
        async with sender.writing(ctx) as uow:
            await ChannelService(uow, sender.organization_id, ctx.clock).update_channel(
                body.model_dump(exclude_unset=True)
            )
    except Invalid as refusal:
        form = refused(sender.fields, CHANNEL_LABELS, refusal, about="recipients")
        return await _page(
            request, acting[0], ctx, sent=("channel", form), status_code=refusal.status
        )
    return see_other("/alert-notifications#channel")


@router.post("/alert-notifications/rules/{name}")
async def change_rule(name: str, request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`PATCH /api/v1/alert-notifications/rules/{name}` with every field (admins); emptied
    recipients are the organization's again (null). An unknown rule is 404."""
    sender = form_sender(acting, Role.ADMIN)
    rule = rule_named(name)
    typed = listed(sender.fields.get("recipients", ""))
    try:
        body = sender.body(RuleChannelPatch, recipients=typed or None)
        async with sender.writing(ctx) as uow:
            await ChannelService(uow, sender.organization_id, ctx.clock).update_rule(
                rule.name.value, body.model_dump(exclude_unset=True)
            )
    except Invalid as refusal:
        form = refused(sender.fields, RULE_LABELS, refusal, about="recipients")
        sent = (rule.name.value, form)
        return await _page(request, acting[0], ctx, sent=sent, status_code=refusal.status)
    return see_other(f"/alert-notifications#rule-{rule.name.value}")
