"""/api/v1/alert-notifications: which channels carry which alert rules and who is mailed
(viewer reads, admin configures), and the e-mail digests sent or waiting."""

from typing import Literal

from fastapi import APIRouter

from chargeyard.alert_notifications.repository import MailRepository
from chargeyard.alert_notifications.schemas import (
    AlertMailChannelPatch,
    AlertMailOut,
    AlertNotificationsOut,
    RuleChannelOut,
    RuleChannelPatch,
)
from chargeyard.alert_notifications.service import ChannelService
from chargeyard.api.dependencies import (
    Admin,
    OrganizationViewer,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.server_context import ServerContext

router = APIRouter(tags=["alerts"])


async def _settings(service: ChannelService, ctx: ServerContext) -> AlertNotificationsOut:
    channel, rules = await service.current()
    return AlertNotificationsOut.of(
        channel,
        [RuleChannelOut.of(name.value, rule) for name, rule in rules.items()],
        available=ctx.settings.smtp_host is not None,
        window_s=ctx.settings.alerts_mail_window_s,
    )


@router.get("/alert-notifications", response_model=AlertNotificationsOut)
async def get_alert_notifications(
    caller: Viewer, uow: Reading, ctx: Server
) -> AlertNotificationsOut:
    return await _settings(ChannelService(uow, caller.organization_id, ctx.clock), ctx)


@router.patch("/alert-notifications", response_model=AlertNotificationsOut)
async def change_alert_notifications(
    body: AlertMailChannelPatch, caller: Admin, uow: Writing, ctx: Server
) -> AlertNotificationsOut:
    service = ChannelService(uow, caller.organization_id, ctx.clock)
    await service.update_channel(body.model_dump(exclude_unset=True))
    await uow.commit()
    return await _settings(service, ctx)


@router.patch("/alert-notifications/rules/{name}", response_model=RuleChannelOut)
async def change_rule_mail(
    name: str, body: RuleChannelPatch, caller: Admin, uow: Writing, ctx: Server
) -> RuleChannelOut:
    service = ChannelService(uow, caller.organization_id, ctx.clock)
    rule = await service.update_rule(name, body.model_dump(exclude_unset=True))
    await uow.commit()
    return RuleChannelOut.of(name, rule)


@router.get("/alert-notifications/digests", response_model=ListOf[AlertMailOut])
async def list_alert_mails(
    caller: OrganizationViewer,
    uow: Reading,
    paging: Paging,
    status: Literal["Pending", "Sent", "Failed"] | None = None,
) -> ListOf[AlertMailOut]:
    """The digests, newest first: what was sent, what waits for another attempt (and why)."""
    found = await MailRepository(uow.session, caller.organization_id).search(status, paging)
    return listing(found, paging, AlertMailOut)
