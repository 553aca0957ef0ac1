"""Applying station-issued transaction events (OCPP 2.0.1 and later) to transactions.

Stations queue events while offline and replay them, so an event may arrive twice, late, or
before the events that precede it. The rules, for every such case:
- an event already recorded for the transaction (same seq_no) changes nothing;
- the first event seen opens the transaction, whatever its type; a Started event that arrives
  later corrects the start time and meter start;
- Ended closes the transaction once: later Updated events are still stored (with their meter
  values) but never reopen it;
- an event flagged `offline` never closes other sessions on the EVSE as superseded.
Never commits.
"""

from dataclasses import dataclass

from chargeyard.clock import Clock
from chargeyard.commands.repository import CommandRepository
from chargeyard.id_tags.domain import Authorization
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transaction_events.repository import TransactionEventRepository
from chargeyard.transactions.domain import (
    StartRequest,
    StopRequest,
    TransactionEventReport,
    TransactionEventType,
    begin_register_wh,
    end_register_wh,
)
from chargeyard.transactions.held import HeldTransaction, HeldTransactions
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.service import TransactionService
from chargeyard.transactions.watermark import MeterWatermark


@dataclass(frozen=True)
class EventOutcome:
    transaction: Transaction | HeldTransaction
    authorization: Authorization | None
    duplicate: bool


class TransactionEventService:
    def __init__(
        self,
        uow: UnitOfWork,
        organization_id: str,
        clock: Clock,
        watermark: MeterWatermark | None = None,
        held: HeldTransactions | None = None,
    ) -> None:
        """`watermark` and `held`: what the station's connection remembers (see
        `TransactionService`)."""
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.held = held
        self.transactions = TransactionService(uow, organization_id, clock, watermark, held)
        self.records = TransactionEventRepository(uow.session, organization_id)
        self.commands = CommandRepository(uow.session, organization_id)

    async def apply(self, station_id: str, report: TransactionEventReport) -> EventOutcome:
        held = self._held_for(report)
        if held is not None:
            outcome = await self._apply_held(held, report)
            if outcome is not None:
                return outcome
            assert self.held is not None
            self.held.drop(held.ocpp_transaction_id)
        tx = await self.transactions.find(station_id, report.ocpp_transaction_id)
        if tx is not None and await self.records.seen(tx.id, report.seq_no):
            return EventOutcome(tx, await self._identify(tx, report), duplicate=True)
        if tx is None:
            tx, authorization = await self._open(station_id, report)
        else:
            if report.event_type is TransactionEventType.STARTED:
                self.transactions.amend_start(
                    tx, report.timestamp, begin_register_wh(report.readings)
                )
            authorization = await self._identify(tx, report)
        was_open = tx.stopped_at is None
        await self.transactions.record_meter_values(
            station_id, tx.evse_id, tx.connector_id, tx, report.readings
        )
        if report.event_type is TransactionEventType.ENDED and was_open:
            await self._end(tx, report)
        self.uow.append(self._record(tx, report, applied=was_open))
        return EventOutcome(tx, authorization, duplicate=False)

    def _held_for(self, report: TransactionEventReport) -> HeldTransaction | None:
        """The connection's held copy of the transaction, for the event that most often comes:
        an Updated event with meter values and no token to identify."""
        if self.held is None or report.event_type is not TransactionEventType.UPDATED:
            return None
        if report.id_tag is not None or not report.readings:
            return None
        held = self.held.get(report.ocpp_transaction_id)
        if held is None or (report.evse_id or held.evse_id) != held.evse_id:
            return None
        return held

    async def _apply_held(
        self, held: HeldTransaction, report: TransactionEventReport
    ) -> EventOutcome | None:
        """`apply` for an Updated event of a held, open session: its readings move the session
        by one guarded UPDATE (`TransactionService.meter_held`), which also confirms the held
        copy. None, with nothing written, when it cannot confirm it (the full path decides)."""
        if await self.records.seen(held.id, report.seq_no):
            return None  # a resent event: rare, and answered from the loaded row
        if await self.transactions.meter_held(held, report.readings, confirm=True) is None:
            return None
        self.uow.append(self._record(held, report, applied=True))
        return EventOutcome(held, None, duplicate=False)

    async def _open(
        self, station_id: str, report: TransactionEventReport
    ) -> tuple[Transaction, Authorization | None]:
        id_tag = report.id_tag
        if id_tag is None and report.remote_start_id is not None:
            # A remote start's TransactionEvent may leave the token out: the request that
            # carried `remoteStartId` names it.
            id_tag = await self.commands.remote_start_tag(station_id, report.remote_start_id)
        request = StartRequest(
            evse_id=report.evse_id or 0,
            connector_id=report.connector_id or 1,
            id_tag=id_tag,
            meter_start_wh=begin_register_wh(report.readings) or 0,
            timestamp=report.timestamp,
            reservation_id=report.reservation_id,
            ocpp_transaction_id=report.ocpp_transaction_id,
        )
        live_start = report.event_type is TransactionEventType.STARTED and not report.offline
        outcome = await self.transactions.start(station_id, request, supersede=live_start)
        authorization = None if report.id_tag is None else outcome.authorization
        return outcome.transaction, authorization

    async def _identify(
        self, tx: Transaction, report: TransactionEventReport
    ) -> Authorization | None:
        if report.id_tag is None:
            return None
        return await self.transactions.identify(tx, report.id_tag)

    async def _end(self, tx: Transaction, report: TransactionEventReport) -> None:
        meter_stop = end_register_wh(report.readings)
        request = StopRequest(
            meter_stop_wh=tx.last_meter_wh if meter_stop is None else meter_stop,
            timestamp=report.timestamp,
            reason=report.stopped_reason or "Local",
        )
        await self.transactions.stop(tx, request)

    def _record(
        self, tx: Transaction | HeldTransaction, report: TransactionEventReport, *, applied: bool
    ) -> TransactionEventRecord:
        return TransactionEventRecord(
            organization_id=self.organization_id,
            station_id=tx.station_id,
            transaction_id=tx.id,
            seq_no=report.seq_no,
            event_type=report.event_type.value,
            trigger_reason=report.trigger_reason,
            occurred_at=report.timestamp,
            offline=report.offline,
            evse_id=report.evse_id,
            connector_id=report.connector_id,
            id_tag=report.id_tag,
            charging_state=report.charging_state,
            stopped_reason=report.stopped_reason,
            applied=applied,
            received_at=self.clock(),
        )
