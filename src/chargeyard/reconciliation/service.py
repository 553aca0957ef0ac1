"""Reconciliation use cases: list an organization's overdue zombie sessions (the dry run) and
close them.

Closing is the operator's force stop (`commands/force_stop.py`), one session at a time: the
session is closed in Chargeyard with the reason and its last known reading
(`TransactionService.force_stop`), the command log keeps the audit entry (who, when, why), a
RemoteStop is attempted when the station is online, and the station's own stop, should it come,
still corrects the reading. Reconciliation adds only the choice of sessions and its own event,
`session.reconciled`, saying which sign made the session a zombie.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chargeyard.alerts.domain import RuleName
from chargeyard.alerts.service import settings_by_organization
from chargeyard.commands.force_stop import force_stop
from chargeyard.commands.runner import CommandRunner
from chargeyard.commands.schemas import ForceStopIn
from chargeyard.errors import ChargeyardError
from chargeyard.events.payloads import (
    RECONCILIATION_POLICY_UPDATED,
    SESSION_RECONCILED,
    ReconciliationPolicyUpdated,
    SessionReconciled,
)
from chargeyard.events.recorder import record_event
from chargeyard.organizations.domain import Principal
from chargeyard.reconciliation import repository
from chargeyard.reconciliation.domain import Zombie, zombie
from chargeyard.reconciliation.models import ReconciliationPolicy
from chargeyard.reconciliation.repository import suspect_sessions
from chargeyard.storage.session import AsyncSession
from chargeyard.storage.unit_of_work import UnitOfWork


async def zombie_threshold(session: AsyncSession, organization_id: str) -> int:
    """The organization's `session-zombie` threshold (the alert rule's setting)."""
    settings = await settings_by_organization(session, {organization_id})
    return settings[organization_id, RuleName.SESSION_ZOMBIE].effective_threshold_s or 0


async def overdue_zombies(
    session: AsyncSession, organization_id: str, threshold_s: int, now: datetime
) -> list[Zombie]:
    """The organization's zombie sessions whose sign has lasted `threshold_s`, oldest session
    first."""
    suspects = await suspect_sessions(
        session, now - timedelta(seconds=threshold_s), organization_id=organization_id
    )
    found = (zombie(suspect, threshold_s, now) for suspect in suspects)
    return [z for z in found if z is not None and z.overdue(threshold_s, now)]


async def policy_of(session: AsyncSession, organization_id: str) -> ReconciliationPolicy:
    """The organization's policy (the default, closing nothing by itself, until it sets one)."""
    found = await repository.policy(session, organization_id)
    return found or ReconciliationPolicy(
        organization_id=organization_id, auto_close=False, reason="Reconciled", revision=0
    )


async def set_policy(
    uow: UnitOfWork, organization_id: str, auto_close: bool, reason: str, now: datetime
) -> ReconciliationPolicy:
    found = await repository.policy(uow.session, organization_id)
    if found is None:
        found = repository.add_policy(
            uow.session, ReconciliationPolicy(organization_id=organization_id, revision=1)
        )
    else:
        found.touch()
    found.auto_close, found.reason = auto_close, reason
    record_event(
        uow,
        organization_id=organization_id,
        kind=RECONCILIATION_POLICY_UPDATED,
        occurred_at=now,
        data=ReconciliationPolicyUpdated({"auto_close": auto_close, "reason": reason}),
    )
    return found


@dataclass(frozen=True)
class Closed:
    zombie: Zombie
    command_id: str
    remote_stop: dict[str, Any] | None


@dataclass(frozen=True)
class Skipped:
    transaction_id: int
    detail: str


CONCURRENCY = 8
"""Force stops at once: a RemoteStop to an online station may wait for its answer (up to the
call timeout), and 500 of them in a row would hold the request for minutes."""


async def close_zombies(
    runner: CommandRunner,
    caller: Principal,
    zombies: list[Zombie],
    reason: str,
    timeout_s: float,
) -> tuple[list[Closed], list[Skipped]]:
    """Force-stop each zombie (a few at once), then record `session.reconciled` for it. A
    session that ended meanwhile (the station's own stop came) is skipped, not closed twice."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(found: Zombie) -> Closed | Skipped:
        async with gate:
            return await _close(runner, caller, found, reason, timeout_s)

    outcomes = await asyncio.gather(*(one(found) for found in zombies))
    closed = [o for o in outcomes if isinstance(o, Closed)]
    return closed, [o for o in outcomes if isinstance(o, Skipped)]


async def _close(
    runner: CommandRunner, caller: Principal, found: Zombie, reason: str, timeout_s: float
) -> Closed | Skipped:
    ctx, tx = runner.ctx, found.session
    body = ForceStopIn(transaction_id=tx.transaction_id, reason=reason)
    try:
        record = await force_stop(runner, caller, tx.station_id, body, timeout_s)
    except ChargeyardError as error:
        return Skipped(tx.transaction_id, error.detail)
    response = record.response or {}
    if not response.get("closed"):
        return Skipped(tx.transaction_id, "the session was already closed")
    async with ctx.db.writing() as uow:
        record_event(
            uow,
            organization_id=caller.organization_id,
            kind=SESSION_RECONCILED,
            occurred_at=ctx.clock(),
            station_id=tx.station_id,
            transaction_id=tx.transaction_id,
            data=SessionReconciled(
                transaction_id=tx.transaction_id,
                station_id=tx.station_id,
                evse_id=tx.evse_id,
                connector_id=tx.connector_id,
                zombie_reason=found.reason.value,
                since=found.since.isoformat(),
                stop_reason=reason,
                last_meter_wh=tx.last_meter_wh,
                command_id=record.id,
                by=caller.actor,
            ),
        )
        await uow.commit()
    return Closed(found, record.id, response.get("remote_stop"))
