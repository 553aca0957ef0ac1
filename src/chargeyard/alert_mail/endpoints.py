"""/api/v1/alert-mail: who is mailed about alerts (viewer reads, admin configures), and the
digests sent or waiting."""

from typing import Literal

from fastapi import APIRouter

from chargeyard.alert_mail.repository import MailRepository
from chargeyard.alert_mail.schemas import (
    AlertMailChannelPatch,
    AlertMailOut,
    AlertMailSettingsOut,
    RuleMailOut,
    RuleMailPatch,
)
from chargeyard.alert_mail.service import ChannelService
from chargeyard.api.dependencies import Admin, Paging, Reading, Server, Viewer, Writing
from chargeyard.api.schemas import ListOf, listing
from chargeyard.server_context import ServerContext

router = APIRouter(tags=["alerts"])


async def _settings(service: ChannelService, ctx: ServerContext) -> AlertMailSettingsOut:
    channel, rules = await service.current()
    return AlertMailSettingsOut.of(
        channel,
        [RuleMailOut.of(name.value, rule) for name, rule in rules.items()],
        available=ctx.settings.smtp_host is not None,
        window_s=ctx.settings.alerts_mail_window_s,
    )


@router.get("/alert-mail", response_model=AlertMailSettingsOut)
async def get_alert_mail(caller: Viewer, uow: Reading, ctx: Server) -> AlertMailSettingsOut:
    return await _settings(ChannelService(uow, caller.organization_id, ctx.clock), ctx)


@router.patch("/alert-mail", response_model=AlertMailSettingsOut)
async def change_alert_mail(
    body: AlertMailChannelPatch, caller: Admin, uow: Writing, ctx: Server
) -> AlertMailSettingsOut:
    service = ChannelService(uow, caller.organization_id, ctx.clock)
    await service.update_channel(body.model_dump(exclude_unset=True))
    await uow.commit()
    return await _settings(service, ctx)


@router.patch("/alert-mail/rules/{name}", response_model=RuleMailOut)
async def change_rule_mail(
    name: str, body: RuleMailPatch, caller: Admin, uow: Writing, ctx: Server
) -> RuleMailOut:
    service = ChannelService(uow, caller.organization_id, ctx.clock)
    rule = await service.update_rule(name, body.model_dump(exclude_unset=True))
    await uow.commit()
    return RuleMailOut.of(name, rule)


@router.get("/alert-mail/digests", response_model=ListOf[AlertMailOut])
async def list_alert_mails(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    status: Literal["Pending", "Sent", "Failed"] | None = None,
) -> ListOf[AlertMailOut]:
    """The digests, newest first: what was sent, what waits for another attempt (and why)."""
    found = await MailRepository(uow.session, caller.organization_id).search(status, paging)
    return listing(found, paging, AlertMailOut)
