"""Sessions their stations forgot (zombie sessions), as `/api/v1/reconciliation` has them: the
overdue ones, listed for every role (the REST dry run: station offline or silent, connector
Available, or a meter that does not move, for at least the `session-zombie` rule's threshold or
one asked for), closed by operators and admins (each a force stop with a stop reason, through
the REST endpoint's own `close_requested`: the same choice, cap and skips), and the automatic
policy, which only an admin changes (closing sessions unasked ends their billing)."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.commands.runner import CommandRunner
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import ROW_REFUSALS, form_sender, refused_on_page, see_other
from chargeyard.dashboard.forms import form_values
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid
from chargeyard.organizations.domain import Role
from chargeyard.reconciliation.endpoints import close_requested
from chargeyard.reconciliation.schemas import (
    MAX_CLOSE,
    CloseZombiesIn,
    CloseZombiesOut,
    PolicyIn,
    ZombieOut,
)
from chargeyard.reconciliation.service import (
    overdue_zombies,
    policy_of,
    set_policy,
    zombie_threshold,
)
from chargeyard.server_context import ServerContext

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

MAX_THRESHOLD_MIN = 30 * 24 * 60
"""The REST listing's `threshold_s` bound (30 days), in minutes."""
Minutes = Annotated[str, Query(max_length=8, pattern=r"^\s*[0-9]*\s*$")]
POLICY_LABELS = {"auto_close": "Close by themselves", "reason": "Their stop reason"}
"""The policy form's controls by what its list of refusals calls them."""


async def _page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    threshold_s: int | None,
    result: CloseZombiesOut | None = None,
) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        rule_s = await zombie_threshold(uow.session, organization_id)
        found = await overdue_zombies(
            uow.session, organization_id, threshold_s or rule_s, ctx.clock()
        )
        policy = await policy_of(uow.session, organization_id)
    context: dict[str, Any] = base_context(caller, "sessions") | {
        "zombies": [ZombieOut.of(z) for z in found[:MAX_CLOSE]],
        "more": max(0, len(found) - MAX_CLOSE),
        "threshold_s": threshold_s or rule_s,
        "asked_s": threshold_s,
        "rule_s": rule_s,
        "policy": policy,
        "policy_form": FieldForm(
            {"auto_close": str(policy.auto_close).lower(), "reason": policy.reason},
            labels=POLICY_LABELS,
        ),
        "result": result,
    }
    return render(request, "reconciliation.html", context)


def _seconds(minutes: str) -> int | None:
    """The listing's threshold field (minutes; empty: the rule's) in seconds."""
    if not minutes.strip():
        return None
    value = int(minutes)
    if not 1 <= value <= MAX_THRESHOLD_MIN:
        raise Invalid(f"threshold: between 1 and {MAX_THRESHOLD_MIN} minutes")
    return value * 60


@router.get("/reconciliation")
async def zombie_sessions(
    request: Request, caller: PageCaller, ctx: Server, threshold: Minutes = ""
) -> Response:
    return await _page(request, caller, ctx, _seconds(threshold))


@router.post("/reconciliation/close")
async def close_zombie_sessions(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """Close the ticked sessions (`which=selected`; none ticked is 422, never "all") or every
    overdue one listed (`which=all`), at the threshold the page listed them by. The answer is
    the page with what was closed, each with the station's answer to the stop, and what was
    skipped and why (a session that ended meanwhile, or is no longer overdue)."""
    sender = form_sender(acting)
    ticked = await form_values(request, "transaction_ids")
    which = sender.fields.get("which")
    if which not in ("selected", "all"):
        raise Invalid("which: selected or all")
    if which == "selected" and not ticked:
        raise Invalid("tick the sessions to close (or close every one listed)")
    body = sender.body(
        CloseZombiesIn,
        transaction_ids=ticked if which == "selected" else None,
        threshold_s=sender.fields.get("threshold_s", ""),
    )
    runner: CommandRunner = request.app.state.commands
    result = await close_requested(body, sender.caller, ctx, runner, runner.timeout(None))
    return await _page(request, acting[0], ctx, body.threshold_s, result)


@router.post("/reconciliation/policy")
async def change_policy(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`PUT /api/v1/reconciliation/policy` (admins only): close overdue sessions unasked, with
    this stop reason. A refused policy (no reason, one too long) comes back on the page as
    sent, the refusal beside its field."""
    sender = form_sender(acting, Role.ADMIN)
    try:
        body = sender.body(PolicyIn, auto_close=sender.fields.get("auto_close") == "true")
        async with sender.writing(ctx) as uow:
            await set_policy(uow, sender.organization_id, body.auto_close, body.reason, ctx.clock())
    except ROW_REFUSALS as refusal:
        form = refused(sender.fields, POLICY_LABELS, refusal, "reason")
        page = partial(_page, request, acting[0], ctx, None)
        return await refused_on_page(request, refusal, page, policy_form=form)
    return see_other("/reconciliation")
