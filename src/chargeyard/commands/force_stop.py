"""Force stop: close a session in Chargeyard whatever the station does, then ask it to stop.

A station that is offline, hung or has forgotten a transaction would otherwise leave the session
open forever (and its ID tag blocked as ConcurrentTx). The session is closed first, with the
operator's reason and an audit entry; a RemoteStop is then attempted when the station is online,
and its outcome is reported, never required.
"""

from typing import Any

from chargeyard.commands.catalog import station_transaction
from chargeyard.commands.dispatcher import Outcome
from chargeyard.commands.domain import Answer, RemoteStop
from chargeyard.commands.models import CommandRecord
from chargeyard.commands.runner import CommandRunner, Scope
from chargeyard.commands.schemas import ForceStopIn
from chargeyard.organizations.domain import Principal
from chargeyard.stations.repository import StationRepository
from chargeyard.transactions.service import TransactionService

NAME = "force-stop"


async def force_stop(
    runner: CommandRunner, caller: Principal, station_id: str, body: ForceStopIn, timeout_s: float
) -> CommandRecord:
    ctx = runner.ctx
    async with ctx.db.writing() as uow:
        station = await StationRepository(uow.session, caller.organization_id).get(station_id)
        tx = await station_transaction(
            Scope(uow, caller.organization_id, station, ctx.clock), body.transaction_id
        )
        was_active = tx.stopped_at is None
        record = await runner.open_record(
            uow, caller, station_id, NAME, body.model_dump(mode="json")
        )
        await TransactionService(uow, caller.organization_id, ctx.clock).force_stop(tx, body.reason)
        await uow.commit()
    response: dict[str, Any] = {
        "transaction_id": tx.id,
        "closed": was_active,
        "stopped_at": tx.stopped_at.isoformat() if tx.stopped_at else None,
        "stop_reason": tx.stop_reason,
    }
    sent = None
    if was_active:
        remote = RemoteStop(ocpp_transaction_id=tx.ocpp_transaction_id or str(tx.id))
        outcome = await runner.dispatcher.send(station_id, remote, timeout_s)
        sent = outcome.sent
        response["remote_stop"] = (
            {"status": outcome.answer.status}
            if outcome.answer is not None
            else {"error": outcome.error.detail if outcome.error else "not sent"}
        )
    answer = Answer(status="Accepted", response=response)
    return await runner.record(caller, record, Outcome(sent=sent, answer=answer))
