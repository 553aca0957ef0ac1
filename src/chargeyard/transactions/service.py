"""Transaction use cases: start, meter, stop, for every protocol. Never commits.

Retries are the norm on flaky station links, so every write here is idempotent: a start identical
to a recorded one returns the recorded transaction, a second stop changes nothing, and meter
samples already stored are not stored again.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.costing.service import SessionCosting
from chargeyard.events.payloads import (
    AUTHORIZATION_REJECTED,
    SESSION_STARTED,
    SESSION_STOPPED,
    SESSION_UPDATED,
    AuthorizationDecided,
    EventKind,
    SessionSummary,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.domain import Authorization, AuthorizationStatus
from chargeyard.id_tags.service import IdTagService
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.domain import (
    MeterReading,
    StartRequest,
    StopRequest,
    energy_wh,
    is_retry,
    latest_of,
)
from chargeyard.transactions.held import HeldTransaction, HeldTransactions
from chargeyard.transactions.metering import Metering, distinct, summary
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionRepository
from chargeyard.transactions.watermark import MeterWatermark

REFUSED_AT_START = "DeAuthorized"
"""The stop reason of a transaction closed because its start was refused."""


@dataclass(frozen=True)
class StartOutcome:
    transaction: Transaction
    authorization: Authorization
    retried: bool


class TransactionService:
    def __init__(
        self,
        uow: UnitOfWork,
        organization_id: str,
        clock: Clock,
        watermark: MeterWatermark | None = None,
        held: HeldTransactions | None = None,
    ) -> None:
        """`watermark` and `held`: what the station's connection remembers between messages
        (`watermark.py`, `held.py`), which spares most MeterValues a SELECT or two; None
        (outside a connection) reads everything."""
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.watermark = watermark
        self.held = held
        self.metering = Metering(uow, organization_id, clock, watermark, held)
        self.transactions = TransactionRepository(uow.session, organization_id)
        self.id_tags = IdTagService(uow, organization_id, clock)
        self.costing = SessionCosting(uow, organization_id, clock)

    async def start(
        self,
        station_id: str,
        request: StartRequest,
        *,
        supersede: bool = True,
        close_refused: bool = False,
        unrecorded: bool = False,
    ) -> StartOutcome:
        """Open a transaction. `supersede` closes sessions still open on the EVSE: a live start
        proves they ended; a start replayed from a station's offline queue proves nothing.
        `close_refused` (1.6, where StartTransaction is the whole start): a start whose tag is
        refused is closed at once; a 2.x station reports its own end with its readings, and
        smart charging counts no refused transaction meanwhile. `unrecorded`: the caller has
        looked up the request's `ocpp_transaction_id` in this unit and found none (2.x), so it
        is not looked up again."""
        on_evse = await self.transactions.open_or_started(
            station_id, request.evse_id, request.timestamp
        )
        existing = None
        if not (unrecorded and request.ocpp_transaction_id is not None):
            existing = await self._recorded_start(station_id, request, on_evse)
        if existing is not None:
            authorization = await self._authorize(
                request.id_tag, at=station_id, exclude=existing.id
            )
            return StartOutcome(existing, authorization, retried=True)
        for stale in on_evse:
            if supersede and stale.stopped_at is None:
                await self._close(stale, stale.last_meter_wh, request.timestamp, "Superseded", None)
        # After superseding: a session this start proves ended does not make its tag concurrent.
        authorization = await self._authorize(request.id_tag, at=station_id)
        tx = Transaction(
            organization_id=self.organization_id,
            station_id=station_id,
            evse_id=request.evse_id,
            connector_id=request.connector_id,
            ocpp_transaction_id=request.ocpp_transaction_id,
            id_tag=request.id_tag,
            auth_status=authorization.status.value,
            reservation_id=request.reservation_id,
            started_at=request.timestamp,
            meter_start_wh=request.meter_start_wh,
            last_meter_wh=request.meter_start_wh,
            revision=1,
        )
        await self.transactions.insert_new(tx)
        if tx.ocpp_transaction_id is None:
            await self.transactions.number(tx, self.clock())
        self._event(SESSION_STARTED, tx, request.timestamp)
        if close_refused and not authorization.accepted:
            # Refused at start: the station stops (or suspends) it, so it holds no capacity and
            # no row stays open for it; the station's own stop still corrects the reading. Not
            # priced: nothing was delivered under it.
            await self._close(tx, request.meter_start_wh, request.timestamp, REFUSED_AT_START, None)
        else:
            await self.costing.started(tx)
        self._hold(tx)
        return StartOutcome(tx, authorization, retried=False)

    async def stop(self, tx: Transaction, request: StopRequest) -> Authorization | None:
        """Close a transaction; its final readings are stored with it. Stopping twice is a no-op."""
        await self.record_meter_values(
            tx.station_id, tx.evse_id, tx.connector_id, tx, request.readings
        )
        authorization = await self.authorize_stop(request.id_tag, tx.id)
        if tx.stopped_at is None:
            await self._close(
                tx, request.meter_stop_wh, request.timestamp, request.reason, request.id_tag
            )
        elif (
            tx.force_stopped or tx.stop_reason == REFUSED_AT_START
        ) and request.meter_stop_wh not in (
            None,
            tx.meter_stop_wh,
        ):
            self._correct_forced_stop(tx, request)
        return authorization

    async def stop_held(self, ocpp_transaction_id: str, request: StopRequest) -> bool:
        """`stop` for a session the connection holds, with no readings to store: one guarded
        UPDATE instead of a load and a flush. False, with nothing done, when it is not held or
        the row is no longer as held (the caller then loads it and calls `stop`)."""
        held = None if self.held is None else self.held.get(ocpp_transaction_id)
        if held is None or request.readings:
            return False
        energy = energy_wh(held.meter_start_wh, request.meter_stop_wh)
        closed = await self.transactions.close_held(
            held,
            request.timestamp,
            request.meter_stop_wh,
            energy,
            request.reason,
            request.id_tag,
            self.clock(),
        )
        assert self.held is not None
        self.held.drop(ocpp_transaction_id)
        if not closed:
            return False
        stopped: SessionSummary = {
            **summary(held),
            "stopped_at": request.timestamp.isoformat(),
            "meter_stop_wh": request.meter_stop_wh,
            "energy_wh": energy,
            "stop_reason": request.reason,
        }
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=SESSION_STOPPED,
            occurred_at=request.timestamp,
            station_id=held.station_id,
            transaction_id=held.id,
            data=stopped,
        )
        return True

    async def authorize_stop(
        self, id_tag: str | None, transaction_id: int | None
    ) -> Authorization | None:
        """The answer about the tag a stop names (a stop is not held to permissions: it ends
        charging whatever the tag)."""
        return None if id_tag is None else await self._authorize(id_tag, exclude=transaction_id)

    def _correct_forced_stop(self, tx: Transaction, request: StopRequest) -> None:
        """The station's own stop after a force stop: its reading replaces the estimate."""
        tx.meter_stop_wh = request.meter_stop_wh
        tx.energy_wh = energy_wh(tx.meter_start_wh, request.meter_stop_wh)
        tx.stopped_at = request.timestamp
        tx.touch()
        self._event(SESSION_UPDATED, tx, request.timestamp)

    def amend_start(self, tx: Transaction, at: datetime, meter_start_wh: int | None) -> None:
        """A start event that arrived after later events: it holds the true start."""
        changed = at < tx.started_at
        if changed:
            tx.started_at = at
        if meter_start_wh is not None and meter_start_wh != tx.meter_start_wh:
            tx.meter_start_wh = meter_start_wh
            if tx.stopped_at is not None:
                tx.energy_wh = energy_wh(meter_start_wh, tx.meter_stop_wh)
            changed = True
        if changed:
            tx.touch()

    async def identify(self, tx: Transaction, id_tag: str) -> Authorization:
        """The tag presented for a running transaction; the first one given is its owner."""
        authorization = await self._authorize(id_tag, at=tx.station_id, exclude=tx.id)
        if tx.id_tag is None:
            tx.id_tag = id_tag
            tx.auth_status = authorization.status.value
            tx.touch()
        return authorization

    async def force_stop(self, tx: Transaction, reason: str) -> None:
        """Close a session in Chargeyard alone, when the station cannot be reached to stop it."""
        if tx.stopped_at is None:
            tx.force_stopped = True
            await self._close(tx, tx.last_meter_wh, self.clock(), reason, None)

    async def find(self, station_id: str, ocpp_transaction_id: str) -> Transaction | None:
        return await self.transactions.by_ocpp_id(station_id, ocpp_transaction_id)

    async def meter(
        self,
        station_id: str,
        evse_id: int,
        connector_id: int,
        ocpp_transaction_id: str | None,
        readings: Sequence[MeterReading],
    ) -> int:
        """A MeterValues message, any version: samples of the station's transaction
        `ocpp_transaction_id` (if it names one Chargeyard knows) or of the station alone.

        With `held` (the connection's open transactions, `held.py`), a held session is metered
        without loading it; the first MeterValues of a session, and any after the row changed
        elsewhere, load it and hold it again."""
        if ocpp_transaction_id is None:
            return await self.record_meter_values(station_id, evse_id, connector_id, None, readings)
        held = None if self.held is None else self.held.get(ocpp_transaction_id)
        if held is not None and (held.evse_id, held.connector_id) == (evse_id, connector_id):
            stored = await self._meter_held(held, readings)
            if stored is not None:
                return stored
            assert self.held is not None
            self.held.drop(ocpp_transaction_id)
        tx = await self.find(station_id, ocpp_transaction_id)
        stored = await self.record_meter_values(station_id, evse_id, connector_id, tx, readings)
        if tx is not None:
            self._hold(tx)
        return stored

    async def record_meter_values(
        self,
        station_id: str,
        evse_id: int,
        connector_id: int,
        tx: Transaction | None,
        readings: Sequence[MeterReading],
    ) -> int:
        """Store new samples (duplicates of stored ones are dropped); returns how many were new."""
        rows = await self._new_only(
            station_id, evse_id, self.metering.rows(station_id, evse_id, connector_id, tx, readings)
        )
        # A priced session's costing reads its samples back in this unit: stored now. Others
        # are inserted in bulk with the batch.
        priced = tx is not None and tx.tariff_id is not None
        if priced:
            await self.transactions.add_meter_values(rows)
        self.metering.stored(evse_id, rows, readings, inserted=priced)
        if tx is not None and rows:
            # Only news moves the transaction: a resent message must not bump its revision.
            self._note_latest(tx, readings)
            await self.costing.metered(tx)
        return len(rows)

    async def _meter_held(
        self, held: HeldTransaction, readings: Sequence[MeterReading]
    ) -> int | None:
        """`record_meter_values` for a held session: one guarded UPDATE instead of a load and
        a flush. None, with nothing written, when the row is no longer as held."""
        rows = await self._new_only(
            held.station_id,
            held.evse_id,
            self.metering.rows(held.station_id, held.evse_id, held.connector_id, held, readings),
        )
        if rows:
            latest = latest_of(readings)
            if held.moves(latest):
                if not await self.transactions.note_latest_held(held, latest, self.clock()):
                    return None
                held = held.after(latest)
                assert self.held is not None
                self.held.put(held)
                self.metering.updated(held)
        self.metering.stored(held.evse_id, rows, readings, inserted=False)
        return len(rows)

    async def _new_only(
        self, station_id: str, evse_id: int, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        if not rows:
            return rows
        timestamps = {row["timestamp"] for row in rows}
        if self.watermark is not None:
            if not self.watermark.known(evse_id):
                self.watermark.seed(
                    evse_id, await self.transactions.newest_meter_value(station_id, evse_id)
                )
            if self.watermark.all_newer(evse_id, timestamps):
                return distinct(rows, set())
        stored = await self.transactions.stored_samples(station_id, evse_id, timestamps)
        return distinct(rows, stored)

    def _note_latest(self, tx: Transaction, readings: Sequence[MeterReading]) -> None:
        latest = latest_of(readings)
        if tx.last_meter_at is not None and latest.at < tx.last_meter_at:
            return
        tx.last_meter_at = latest.at
        if latest.meter_wh is not None:
            tx.last_meter_wh = latest.meter_wh
        if latest.power_w is not None:
            tx.last_power_w = latest.power_w
        if latest.soc is not None:
            tx.last_soc = latest.soc
        tx.touch()
        self._hold(tx)
        self.metering.updated(tx)

    async def _close(
        self,
        tx: Transaction,
        meter_stop_wh: int | None,
        at: datetime,
        reason: str | None,
        id_tag: str | None,
    ) -> None:
        tx.stopped_at = at
        tx.meter_stop_wh = meter_stop_wh
        tx.energy_wh = energy_wh(tx.meter_start_wh, meter_stop_wh)
        tx.stop_reason = reason
        tx.stop_id_tag = id_tag
        tx.touch()
        self._hold(tx)
        self._event(SESSION_STOPPED, tx, at)
        await self.costing.stopped(tx)

    async def _recorded_start(
        self, station_id: str, request: StartRequest, on_evse: Sequence[Transaction]
    ) -> Transaction | None:
        """The recorded transaction `request` repeats: by the station's id for it (2.x), or
        (1.6, where the CSMS gives the id) one of `on_evse` with the same start."""
        if request.ocpp_transaction_id is not None:
            return await self.transactions.by_ocpp_id(station_id, request.ocpp_transaction_id)
        for candidate in on_evse:
            if is_retry(candidate.id_tag, candidate.meter_start_wh, candidate.started_at, request):
                return candidate
        return None

    async def _authorize(
        self, id_tag: str | None, *, at: str | None = None, exclude: int | None = None
    ) -> Authorization:
        """A start or an identification `at` a station is held to the tag's permissions there
        and to its driver's standing, a prepaid balance covering the station's tariff (a stop is
        not: it ends charging whatever the tag); a refusal is recorded with why."""
        if id_tag is None:
            return Authorization(AuthorizationStatus.ACCEPTED)
        authorization = await self.id_tags.authorize(
            id_tag, station_id=at, exclude_transaction=exclude
        )
        if at is not None and authorization.reason is not None:
            record_event(
                self.uow,
                organization_id=self.organization_id,
                kind=AUTHORIZATION_REJECTED,
                occurred_at=self.clock(),
                station_id=at,
                data=AuthorizationDecided(
                    station_id=at,
                    id_tag=id_tag,
                    status=authorization.status.value,
                    reason=authorization.reason,
                ),
            )
        return authorization

    def _hold(self, tx: Transaction) -> None:
        """Let the connection hold `tx` as it now is (or forget it, closed or priced): a copy
        held ahead of a commit that then fails is harmless, its revision matches no row."""
        if self.held is not None:
            self.held.keep(tx)

    def _event(self, kind: EventKind[SessionSummary], tx: Transaction, at: datetime) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=at,
            station_id=tx.station_id,
            transaction_id=tx.id,
            data=summary(tx),
        )
