"""Command audit use cases: open a record when a command is requested, complete it with the
outcome. Never commits (the runner, at the edge, owns the units of work).

The record is stored with station secrets masked (`security/station_secrets.py`): the request
body, what went on the wire and the answer. The audit says a password was set, never which.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from chargeyard.clock import Clock
from chargeyard.commands.domain import Answer, Sent
from chargeyard.commands.models import CommandRecord
from chargeyard.commands.repository import CommandRepository
from chargeyard.errors import ChargeyardError
from chargeyard.events.payloads import (
    COMMAND_ANSWERED,
    COMMAND_FAILED,
    COMMAND_SENT,
    CommandAnswered,
    CommandEvent,
    CommandFailed,
    CommandSent,
    EventKind,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.security.station_secrets import masked
from chargeyard.storage.unit_of_work import UnitOfWork


class CommandState(StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"
    FAILED = "failed"


class CommandService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.commands = CommandRepository(uow.session, organization_id)

    async def open(
        self,
        station_id: str,
        command: str,
        actor: str,
        request: dict[str, Any],
        requested_at: datetime | None = None,
    ) -> CommandRecord:
        record = CommandRecord(
            organization_id=self.organization_id,
            station_id=station_id,
            command=command,
            actor=actor,
            state=CommandState.PENDING.value,
            request=masked(request),
            requested_at=requested_at or self.clock(),
            revision=1,
        )
        self.commands.add(record)
        await self.uow.session.flush()
        return record

    async def get(self, command_id: str) -> CommandRecord:
        return await self.commands.get(command_id)

    def complete(
        self,
        record: CommandRecord,
        *,
        sent: Sent | None,
        sent_at: datetime | None,
        answer: Answer | None,
        error: ChargeyardError | None,
    ) -> None:
        now = self.clock()
        record.finished_at = now
        record.duration_ms = round((now - record.requested_at).total_seconds() * 1000, 3)
        if sent is not None:
            record.ocpp_action = sent.action
            record.ocpp_request = masked(sent.payload)
            record.sent_at = sent_at
            sent_data: CommandSent = {**_about(record), "ocpp_action": sent.action}
            self._event(COMMAND_SENT, record, sent_at or now, sent_data)
        if answer is not None:
            record.state = CommandState.ANSWERED.value
            record.status = answer.status
            record.response = masked(answer.response)
            record.http_status = 200
            answered: CommandAnswered = {**_about(record), "status": answer.status}
            self._event(COMMAND_ANSWERED, record, now, answered)
        else:
            assert error is not None
            record.state = CommandState.FAILED.value
            record.status = type(error).__name__
            record.error = error.detail
            record.http_status = error.status
            failed: CommandFailed = {**_about(record), "error": error.detail}
            self._event(COMMAND_FAILED, record, now, failed)
        record.touch()

    def _event(self, kind: EventKind[P], record: CommandRecord, at: datetime, data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=at,
            station_id=record.station_id,
            data=data,
        )


def _about(record: CommandRecord) -> CommandEvent:
    """What every command event starts with."""
    return {
        "command_id": record.id,
        "station_id": record.station_id,
        "command": record.command,
        "actor": record.actor,
    }
