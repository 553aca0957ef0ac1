"""Applying station-issued transaction events (OCPP 2.0.1 and later) to transactions.

Stations queue events while offline and replay them, so an event may arrive twice, late, or
before the events that precede it. The rules, for every such case:
- an event already recorded for the transaction (same seq_no) changes nothing;
- the first event seen opens the transaction, whatever its type; a Started event that arrives
  later corrects the start time and meter start;
- Ended closes the transaction once: later Updated events are still stored (with their meter
  values) but never reopen it;
- an event flagged `offline` never closes other sessions on the EVSE as superseded.
Never commits. The commonest event, an Updated reading of a session the connection holds, is
applied from the connection's memory by `apply_from_memory` (no statement of its own) when
memory can tell it is none of the cases above.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chargeyard.clock import Clock
from chargeyard.commands.repository import CommandRepository
from chargeyard.events.payloads import TRANSACTION_EVENT_LATE, TransactionEventLate
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.domain import Authorization
from chargeyard.storage.group_commit import DeferredUnit
from chargeyard.storage.unit_of_work import Outbox, UnitOfWork
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
from chargeyard.transactions.metering import Metering
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
        tx = await self.transactions.find(station_id, report.ocpp_transaction_id)
        if (
            tx is not None
            and not self._known_news(tx, report.seq_no)
            and await self.records.seen(tx.id, report.seq_no)
        ):
            return EventOutcome(tx, await self._identify(tx, report), duplicate=True)
        opened = tx is None
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
        recorded(self.uow, self.organization_id, self.clock, tx, report, applied=was_open)
        await self._note_floor(tx, report.seq_no, opened=opened)
        return EventOutcome(tx, authorization, duplicate=False)

    def _known_news(self, tx: Transaction, seq_no: int) -> bool:
        """Whether the connection knows `seq_no` is above every recorded event of `tx` (then
        it cannot be a resent one, and nothing is looked up)."""
        if self.held is None or tx.ocpp_transaction_id is None:
            return False
        held = self.held.get(tx.ocpp_transaction_id)
        return held is not None and held.id == tx.id and held.news(seq_no)

    async def _note_floor(self, tx: Transaction, seq_no: int, *, opened: bool) -> None:
        """A held session's seqNo floor (`held.py`), read once per connection and session;
        one this event `opened` has no other record yet."""
        if self.held is None or tx.ocpp_transaction_id is None:
            return
        held = self.held.get(tx.ocpp_transaction_id)
        if held is None:
            return
        if held.seq_floor is None and not opened:
            seq_no = max(seq_no, await self.records.highest_seq_no(tx.id))
        self.held.recorded(tx.ocpp_transaction_id, seq_no)

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
        # `apply` found no transaction by the station's id in this unit: not asked again.
        outcome = await self.transactions.start(
            station_id, request, supersede=live_start, unrecorded=True
        )
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


LATE = timedelta(minutes=1)
"""A chargingState reported this long after its time (queued while the station was offline, or a
clock behind) is announced by a `transaction_event.late` event: the KPIs' daily rollup
(kpis/rollup.py) then refreshes the days it can change. States on time cost no event."""


def recorded(
    outbox: Outbox,
    organization_id: str,
    clock: Clock,
    tx: Transaction | HeldTransaction,
    report: TransactionEventReport,
    *,
    applied: bool,
) -> None:
    """Append the event's record, and announce a late chargingState (`LATE`)."""
    row = event_record(organization_id, clock, tx, report, applied=applied)
    outbox.append_values(TransactionEventRecord, [row])
    if report.charging_state is not None and report.timestamp < clock() - LATE:
        late: TransactionEventLate = {
            "seq_no": report.seq_no,
            "event_type": report.event_type.value,
            "charging_state": report.charging_state,
            "offline": report.offline,
        }
        record_event(
            outbox,
            organization_id=organization_id,
            kind=TRANSACTION_EVENT_LATE,
            occurred_at=report.timestamp,
            station_id=tx.station_id,
            transaction_id=tx.id,
            data=late,
        )


def event_record(
    organization_id: str,
    clock: Clock,
    tx: Transaction | HeldTransaction,
    report: TransactionEventReport,
    *,
    applied: bool,
) -> dict[str, Any]:
    """The stored record of a reported event (`applied`: it moved the transaction), as the
    column values of its `transaction_events` row: it is only appended (no ORM object is built
    for it, which cost more than inserting it)."""
    return {
        "organization_id": organization_id,
        "station_id": tx.station_id,
        "transaction_id": tx.id,
        "seq_no": report.seq_no,
        "event_type": report.event_type.value,
        "trigger_reason": report.trigger_reason,
        "occurred_at": report.timestamp,
        "offline": report.offline,
        "evse_id": report.evse_id,
        "connector_id": report.connector_id,
        "id_tag": report.id_tag,
        "charging_state": report.charging_state,
        "stopped_reason": report.stopped_reason,
        "applied": applied,
        "received_at": clock(),
    }


def apply_from_memory(
    unit: DeferredUnit,
    metering: Metering,
    held_copies: HeldTransactions,
    report: TransactionEventReport,
) -> EventOutcome | None:
    """`TransactionEventService.apply` for the commonest 2.x event, read from the connection's
    memory into a deferred unit (`storage/group_commit.py`): an Updated event with readings and
    no token, for a held session, newer than every event known recorded for it, whose readings
    move the session (their guarded write confirms the held copy at the batch's commit). None,
    with nothing done, for anything else: the full path decides."""
    if report.event_type is not TransactionEventType.UPDATED:
        return None
    if report.id_tag is not None or not report.readings:
        return None
    held = held_copies.get(report.ocpp_transaction_id)
    if held is None or not held.news(report.seq_no):
        return None
    if (report.evse_id or held.evse_id) != held.evse_id:
        return None
    if not metering.from_memory(
        unit,
        held.station_id,
        held.evse_id,
        held.connector_id,
        held.ocpp_transaction_id,
        report.readings,
        confirm=True,
    ):
        return None
    recorded(unit, metering.organization_id, metering.clock, held, report, applied=True)
    held_copies.recorded(held.ocpp_transaction_id, report.seq_no)
    return EventOutcome(held, None, duplicate=False)
