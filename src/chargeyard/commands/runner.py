"""Running one command at the edge: build it, record it, send it, record what came back.

The runner owns the units of work, like an OCPP handler does: one short unit to build and record
the command, none while the station is awaited (a slow station must not hold a database lock),
and one to store the outcome. Both are units of the group commit (`Database.batched`), as OCPP
messages are: with thousands of stations sending, a command's audit shares their commits instead
of queueing a durable commit of its own for the single SQLite writer. With `wait=False` the sending runs as a task and the caller
polls the record.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.clock import Clock
from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import Command
from chargeyard.commands.models import CommandRecord
from chargeyard.commands.service import CommandService
from chargeyard.errors import ChargeyardError, Invalid
from chargeyard.organizations.domain import Principal
from chargeyard.server_context import ServerContext
from chargeyard.stations.models import Station
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """What building a command may look at: the caller's organization, in one unit of work."""

    uow: UnitOfWork
    organization_id: str
    station: Station
    clock: Clock


Build = Callable[[Scope], Awaitable[Command]]
# Runs in the unit of work that stores the outcome (e.g. a reservation follows its answer).
Settle = Callable[[Scope, Command, Outcome], Awaitable[None]]


async def _no_settle(_scope: Scope, _command: Command, _outcome: Outcome) -> None:
    return None


@dataclass(frozen=True)
class Request:
    name: str
    body: dict[str, Any]
    build: Build
    settle: Settle = _no_settle


@dataclass(frozen=True)
class _Opened:
    """A built command; `record` is None until it is stored with its outcome."""

    station_id: str
    request: Request
    command: Command
    requested_at: datetime
    record: CommandRecord | None


class CommandRunner:
    def __init__(self, ctx: ServerContext, dispatcher: Dispatcher) -> None:
        self.ctx = ctx
        self.dispatcher = dispatcher
        self._tasks: set[asyncio.Task[Any]] = set()

    def timeout(self, requested: float | None) -> float:
        limit = self.ctx.settings.call_timeout_s
        if requested is None:
            return limit
        if not 0 < requested <= limit:
            raise Invalid(f"timeout must be above 0 and at most {limit:g} seconds")
        return requested

    async def submit(
        self,
        caller: Principal,
        station_id: str,
        request: Request,
        timeout_s: float,
        *,
        wait: bool = True,
    ) -> CommandRecord:
        opened = await self._open(caller, station_id, request, store=not wait)
        if wait:
            return await self._deliver(caller, opened, timeout_s)
        task = asyncio.create_task(self._deliver(caller, opened, timeout_s))
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        assert opened.record is not None
        return opened.record

    async def record(
        self,
        caller: Principal,
        record: CommandRecord,
        outcome: Outcome,
    ) -> CommandRecord:
        """Store an outcome the caller worked out itself (force stop)."""
        async with self.ctx.db.batched() as uow:
            service = CommandService(uow, caller.organization_id, self.ctx.clock)
            stored = await service.get(record.id)
            service.complete(
                stored,
                sent=outcome.sent,
                sent_at=record.requested_at if outcome.sent else None,
                answer=outcome.answer,
                error=outcome.error,
            )
            await uow.commit()
        return stored

    async def open_record(
        self,
        uow: UnitOfWork,
        caller: Principal,
        station_id: str,
        name: str,
        body: dict[str, Any],
        requested_at: datetime | None = None,
    ) -> CommandRecord:
        service = CommandService(uow, caller.organization_id, self.ctx.clock)
        return await service.open(station_id, name, caller.actor, body, requested_at)

    async def _open(
        self, caller: Principal, station_id: str, request: Request, *, store: bool
    ) -> "_Opened":
        """Build the command. Its record is stored now when the caller will poll it, or when
        building wrote something; otherwise with its outcome (one commit per command)."""
        requested_at = self.ctx.clock()
        async with self.ctx.db.batched() as uow:
            station = await StationRepository(uow.session, caller.organization_id).get(station_id)
            flushes = _WriteWatch(uow.session)
            try:
                command = await request.build(self._scope(uow, caller, station))
            finally:
                wrote = flushes.wrote()
            if not (store or wrote):
                return _Opened(station_id, request, command, requested_at, None)
            record = await self.open_record(
                uow, caller, station_id, request.name, request.body, requested_at
            )
            await uow.commit()
        return _Opened(station_id, request, command, requested_at, record)

    async def _deliver(
        self, caller: Principal, opened: "_Opened", timeout_s: float
    ) -> CommandRecord:
        sent_at = self.ctx.clock()
        request = opened.request
        try:
            outcome = await self.dispatcher.send(opened.station_id, opened.command, timeout_s)
        except Exception as error:  # a dispatcher bug must still close the record
            logger.exception("dispatching %s to %s failed", request.name, opened.station_id)
            outcome = Outcome(error=ChargeyardError(f"dispatch failed: {error}"))
        async with self.ctx.db.batched() as uow:
            service = CommandService(uow, caller.organization_id, self.ctx.clock)
            if opened.record is None:
                stored = await self.open_record(
                    uow, caller, opened.station_id, request.name, request.body, opened.requested_at
                )
            else:
                stored = await service.get(opened.record.id)
            station = await StationRepository(uow.session, caller.organization_id).get(
                opened.station_id
            )
            await request.settle(self._scope(uow, caller, station), opened.command, outcome)
            service.complete(
                stored,
                sent=outcome.sent,
                sent_at=sent_at,
                answer=outcome.answer,
                error=outcome.error,
            )
            await uow.commit()
        return stored

    def _scope(self, uow: UnitOfWork, caller: Principal, station: Station) -> Scope:
        return Scope(uow, caller.organization_id, station, self.ctx.clock)

    def _forget(self, task: "asyncio.Task[Any]") -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background command failed", exc_info=task.exception())

    async def stop(self) -> None:
        """Let commands in flight finish recording (at shutdown)."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=self.ctx.settings.call_timeout_s)


class _WriteWatch:
    """Whether building a command wrote anything: pending changes, or changes a query already
    autoflushed (which leave nothing pending, yet must be committed)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._flushed = False
        event.listen(session.sync_session, "after_flush", self._on_flush)

    def _on_flush(self, *_args: object) -> None:
        self._flushed = True

    def wrote(self) -> bool:
        """Asked once, at the end of the build: the listener goes (the session is the group
        commit's, shared by the units of a batch)."""
        session = self._session
        event.remove(session.sync_session, "after_flush", self._on_flush)
        return self._flushed or bool(session.new or session.dirty or session.deleted)
