"""Meter samples as rows, and the meter readings a connection can store from memory alone.

`TransactionService` stores samples through `Metering` (rows, the duplicate rule's memory, the
`meter_values.received` event); `Metering.from_memory` is the path of the commonest OCPP message
that reads nothing: a reading whose samples are all newer than what the connection knows is
stored (`watermark.py`), for the station or for a session the connection holds (`held.py`).
Its rows are appended and the session's live values move by one guarded UPDATE deferred to the
batch's commit (`storage/group_commit.py: DeferredUnit`), so the message costs no statement of
its own and no savepoint. Whenever memory cannot decide, it declines and the caller takes the
full path.
"""

from collections.abc import Sequence
from typing import Any

from chargeyard.clock import Clock
from chargeyard.events.payloads import (
    METER_VALUES_RECEIVED,
    SESSION_UPDATED,
    MeterSample,
    MeterValuesReceived,
    SessionSummary,
)
from chargeyard.events.recorder import record_event
from chargeyard.storage.group_commit import DeferredUnit, GuardedWrite
from chargeyard.storage.unit_of_work import Outbox
from chargeyard.transactions.domain import MeterReading, latest_of
from chargeyard.transactions.held import HeldTransaction, HeldTransactions
from chargeyard.transactions.models import MeterValue, Transaction
from chargeyard.transactions.repository import note_latest_held
from chargeyard.transactions.watermark import MeterWatermark


def distinct(rows: list[dict[str, Any]], seen: set[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The rows whose sample is neither in `seen` nor repeated earlier in `rows`."""
    fresh = []
    for row in rows:
        key = (row["timestamp"], row["measurand"], row["phase"], row["location"], row["context"])
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    return fresh


def summary(tx: Transaction | HeldTransaction) -> SessionSummary:
    """The transaction as events carry it."""
    return {
        "id": tx.id,
        "station_id": tx.station_id,
        "evse_id": tx.evse_id,
        "connector_id": tx.connector_id,
        "ocpp_transaction_id": tx.ocpp_transaction_id,
        "id_tag": tx.id_tag,
        "auth_status": tx.auth_status,
        "started_at": tx.started_at.isoformat(),
        "stopped_at": tx.stopped_at.isoformat() if tx.stopped_at else None,
        "meter_start_wh": tx.meter_start_wh,
        "meter_stop_wh": tx.meter_stop_wh,
        "energy_wh": tx.energy_wh,
        "stop_reason": tx.stop_reason,
        "force_stopped": tx.force_stopped,
    }


def _sample_data(row: dict[str, Any]) -> MeterSample:
    return {
        "timestamp": row["timestamp"].isoformat(),
        "measurand": row["measurand"],
        "phase": row["phase"],
        "unit": row["unit"],
        "value": row["value"],
    }


class Metering:
    def __init__(
        self,
        outbox: Outbox,
        organization_id: str,
        clock: Clock,
        watermark: MeterWatermark | None = None,
        held: HeldTransactions | None = None,
    ) -> None:
        self.outbox = outbox
        self.organization_id = organization_id
        self.clock = clock
        self.watermark = watermark
        self.held = held

    def rows(
        self,
        station_id: str,
        evse_id: int,
        connector_id: int,
        tx: Transaction | HeldTransaction | None,
        readings: Sequence[MeterReading],
    ) -> list[dict[str, Any]]:
        """One row per sample, as `meter_values` stores it."""
        received_at = self.clock()
        return [
            {
                "organization_id": self.organization_id,
                "station_id": station_id,
                "transaction_id": None if tx is None else tx.id,
                "evse_id": evse_id,
                "connector_id": connector_id,
                "timestamp": reading.timestamp,
                "measurand": sample.measurand,
                "phase": sample.phase,
                "unit": sample.unit,
                "context": sample.context,
                "location": sample.location,
                "format": sample.format,
                "value": sample.value,
                "numeric_value": sample.number,
                "received_at": received_at,
            }
            for reading in readings
            for sample in reading.samples
        ]

    def stored(
        self,
        evse_id: int,
        rows: list[dict[str, Any]],
        readings: Sequence[MeterReading],
        *,
        inserted: bool,
    ) -> None:
        """New samples: inserted in bulk with the batch's rows (unless `inserted` already, for
        a reader in this unit), remembered by the connection, announced as
        `meter_values.received`."""
        if not rows:
            return
        if not inserted:
            self.outbox.append_values(MeterValue, rows)
        if self.watermark is not None:
            self.watermark.stored(evse_id, (row["timestamp"] for row in rows))
        first = rows[0]
        received: MeterValuesReceived = {
            "station_id": first["station_id"],
            "evse_id": evse_id,
            "connector_id": first["connector_id"],
            "transaction_id": first["transaction_id"],
            "samples": [_sample_data(row) for row in rows],
        }
        record_event(
            self.outbox,
            organization_id=self.organization_id,
            kind=METER_VALUES_RECEIVED,
            occurred_at=max(r.timestamp for r in readings),
            station_id=first["station_id"],
            transaction_id=first["transaction_id"],
            data=received,
        )

    def updated(self, tx: Transaction | HeldTransaction) -> None:
        """A reading moved the session's live values: `session.updated`."""
        assert tx.last_meter_at is not None
        record_event(
            self.outbox,
            organization_id=self.organization_id,
            kind=SESSION_UPDATED,
            occurred_at=tx.last_meter_at,
            station_id=tx.station_id,
            transaction_id=tx.id,
            data=summary(tx),
        )

    def from_memory(
        self,
        unit: DeferredUnit,
        station_id: str,
        evse_id: int,
        connector_id: int,
        ocpp_transaction_id: str | None,
        readings: Sequence[MeterReading],
        *,
        confirm: bool = False,
    ) -> bool:
        """Store a MeterValues message into `unit` (this `Metering`'s outbox) without reading:
        True if memory decided it, False (nothing done) if the full path must. With `confirm`
        memory decides only a reading that moves the held session (its guarded write then
        confirms the copy the caller relies on)."""
        if self.watermark is None or not self.watermark.known(evse_id):
            return False
        held = None
        if ocpp_transaction_id is not None:
            held = None if self.held is None else self.held.get(ocpp_transaction_id)
            if held is None or (held.evse_id, held.connector_id) != (evse_id, connector_id):
                return False
        rows = self.rows(station_id, evse_id, connector_id, held, readings)
        if not self.watermark.all_newer(evse_id, {row["timestamp"] for row in rows}):
            return False
        rows = distinct(rows, set())
        latest = latest_of(readings) if rows else None
        moves = held is not None and latest is not None and held.moves(latest)
        if confirm and not moves:
            return False
        if held is not None and latest is not None and moves:
            held_copies = self.held
            assert held_copies is not None
            statement, parameters = note_latest_held(held, latest, self.clock())
            dropped = held.ocpp_transaction_id
            unit.defer(
                GuardedWrite(
                    statement,
                    parameters,
                    lambda: held_copies.drop(dropped),
                    row=("transactions", str(held.id)),
                )
            )
            moved = held.after(latest)
            held_copies.put(moved)
            self.updated(moved)
        self.stored(evse_id, rows, readings, inserted=False)
        return True
