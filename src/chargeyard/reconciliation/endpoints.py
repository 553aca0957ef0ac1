"""/api/v1/reconciliation/zombie-sessions: the dry-run listing of sessions stations forgot, and
closing them (each one a force stop, audited in the command log)."""

from typing import Annotated

from fastapi import APIRouter, Query

from chargeyard.api.dependencies import Admin, Operator, Reading, Server, Viewer, Writing
from chargeyard.commands.endpoints import CallTimeout, Runner
from chargeyard.commands.runner import CommandRunner
from chargeyard.organizations.domain import Principal
from chargeyard.reconciliation.schemas import (
    MAX_CLOSE,
    ClosedOut,
    CloseZombiesIn,
    CloseZombiesOut,
    PolicyIn,
    PolicyOut,
    SkippedOut,
    ZombieList,
    ZombieOut,
)
from chargeyard.reconciliation.service import (
    close_zombies,
    overdue_zombies,
    policy_of,
    set_policy,
    zombie_threshold,
)
from chargeyard.server_context import ServerContext

router = APIRouter(tags=["reconciliation"])

ThresholdQuery = Annotated[
    int | None,
    Query(ge=1, le=30 * 86_400, description="Seconds; default: the session-zombie rule's."),
]


@router.get("/reconciliation/zombie-sessions", response_model=ZombieList)
async def list_zombie_sessions(
    caller: Viewer, uow: Reading, ctx: Server, threshold_s: ThresholdQuery = None
) -> ZombieList:
    """Open sessions whose station is offline or silent, or whose connector reports Available,
    for at least the threshold: what closing would close."""
    threshold = threshold_s or await zombie_threshold(uow.session, caller.organization_id)
    found = await overdue_zombies(uow.session, caller.organization_id, threshold, ctx.clock())
    return ZombieList(threshold_s=threshold, items=[ZombieOut.of(z) for z in found])


@router.post("/reconciliation/zombie-sessions/close", response_model=CloseZombiesOut)
async def close_zombie_sessions(
    body: CloseZombiesIn, caller: Operator, ctx: Server, commands: Runner, timeout_s: CallTimeout
) -> CloseZombiesOut:
    """Close the overdue zombies named (or all of them): each is force-stopped with `reason`
    and its last known reading, and recorded as `session.reconciled`. An id that is not an
    overdue zombie is skipped, with why. `dry_run` answers what would be closed. At most
    MAX_CLOSE (500) per request; `remaining` says how many more are overdue."""
    return await close_requested(body, caller, ctx, commands, timeout_s)


async def close_requested(
    body: CloseZombiesIn,
    caller: Principal,
    ctx: ServerContext,
    commands: CommandRunner,
    timeout_s: float,
) -> CloseZombiesOut:
    """What `POST /reconciliation/zombie-sessions/close` does, for the dashboard's form too."""
    async with ctx.db.reading() as uow:
        threshold = body.threshold_s or await zombie_threshold(uow.session, caller.organization_id)
        found = await overdue_zombies(uow.session, caller.organization_id, threshold, ctx.clock())
    chosen = found
    skipped: list[SkippedOut] = []
    if body.transaction_ids is not None:
        by_id = {z.session.transaction_id: z for z in found}
        wanted = list(dict.fromkeys(body.transaction_ids))
        chosen = [by_id[i] for i in wanted if i in by_id]
        skipped = [
            SkippedOut(transaction_id=i, detail="not an overdue zombie session")
            for i in wanted
            if i not in by_id
        ]
    chosen, remaining = chosen[:MAX_CLOSE], max(0, len(chosen) - MAX_CLOSE)
    if body.dry_run:
        closed = [
            ClosedOut(**ZombieOut.of(z).model_dump(), command_id=None, remote_stop=None)
            for z in chosen
        ]
        return CloseZombiesOut(
            threshold_s=threshold, dry_run=True, closed=closed, skipped=skipped, remaining=remaining
        )
    done, refused = await close_zombies(commands, caller, chosen, body.reason, timeout_s)
    closed = [
        ClosedOut(
            **ZombieOut.of(c.zombie).model_dump(),
            command_id=c.command_id,
            remote_stop=c.remote_stop,
        )
        for c in done
    ]
    skipped += [SkippedOut(transaction_id=s.transaction_id, detail=s.detail) for s in refused]
    return CloseZombiesOut(
        threshold_s=threshold, dry_run=False, closed=closed, skipped=skipped, remaining=remaining
    )


@router.get("/reconciliation/policy", response_model=PolicyOut)
async def get_reconciliation_policy(caller: Viewer, uow: Reading) -> PolicyOut:
    found = await policy_of(uow.session, caller.organization_id)
    threshold = await zombie_threshold(uow.session, caller.organization_id)
    return PolicyOut(auto_close=found.auto_close, reason=found.reason, threshold_s=threshold)


@router.put("/reconciliation/policy", response_model=PolicyOut)
async def put_reconciliation_policy(
    body: PolicyIn, caller: Admin, uow: Writing, ctx: Server
) -> PolicyOut:
    """Closing sessions without anyone asking ends their billing: an admin decides it."""
    found = await set_policy(uow, caller.organization_id, body.auto_close, body.reason, ctx.clock())
    threshold = await zombie_threshold(uow.session, caller.organization_id)
    await uow.commit()
    return PolicyOut(auto_close=found.auto_close, reason=found.reason, threshold_s=threshold)
