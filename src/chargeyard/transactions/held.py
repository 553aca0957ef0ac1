"""Open transactions a station's connection holds between its messages.

A charging station sends a MeterValues every few seconds to minutes for each session it runs,
and each used to load the transaction and flush it back through the ORM: most of the CPU an
OCPP message cost. The connection keeps what those messages need of each open, unpriced
session it started or metered (`HeldTransaction`), and a MeterValues for it is one UPDATE
(`TransactionRepository.note_latest_held`) guarded by the held revision.

Why a held copy cannot go stale unnoticed: every change to a transaction that a MeterValues
reads (its tag, its start, its stop, its latest reading) bumps `revision` (`Tracked.touch`), and
the UPDATE matches only the held revision of a row still open and unpriced. When anything else
changed the row (an operator's force stop, a 2.x TransactionEvent, another node), the UPDATE
matches nothing, the held copy is dropped and the message takes the full path, which reads the
row. A price is computed from the readings themselves, so a priced session is never held.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from chargeyard.transactions.domain import Latest
from chargeyard.transactions.models import Transaction


@dataclass(frozen=True)
class HeldTransaction:
    id: int
    revision: int
    station_id: str
    evse_id: int
    connector_id: int
    ocpp_transaction_id: str
    id_tag: str | None
    auth_status: str
    started_at: datetime
    meter_start_wh: int
    last_meter_at: datetime | None
    # What `transactions.service.summary` reads of a closed one: a held one is open.
    stopped_at: None = None
    meter_stop_wh: None = None
    energy_wh: None = None
    stop_reason: None = None
    force_stopped: bool = False
    cost_incl_tax: None = None  # never priced
    # 2.x: the highest TransactionEvent seqNo known recorded for it (None: not known), so a
    # newer Updated event needs no look for a duplicate.
    seq_floor: int | None = None

    @classmethod
    def of(cls, tx: Transaction) -> "HeldTransaction | None":
        """The copy to hold of `tx`, or None when it must not be held (closed or priced)."""
        if tx.stopped_at is not None or tx.tariff_id is not None or tx.ocpp_transaction_id is None:
            return None
        return cls(
            id=tx.id,
            revision=tx.revision,
            station_id=tx.station_id,
            evse_id=tx.evse_id,
            connector_id=tx.connector_id,
            ocpp_transaction_id=tx.ocpp_transaction_id,
            id_tag=tx.id_tag,
            auth_status=tx.auth_status,
            started_at=tx.started_at,
            meter_start_wh=tx.meter_start_wh,
            last_meter_at=tx.last_meter_at,
        )

    def moves(self, latest: Latest) -> bool:
        """Whether `latest` is news for the session's live values (an older one is not)."""
        return self.last_meter_at is None or latest.at >= self.last_meter_at

    def after(self, latest: Latest) -> "HeldTransaction":
        return replace(self, revision=self.revision + 1, last_meter_at=latest.at)

    def news(self, seq_no: int) -> bool:
        """Whether a 2.x event's seqNo is above every one known recorded for the session."""
        return self.seq_floor is not None and seq_no > self.seq_floor


class HeldTransactions:
    """The held copies of one connection, by the station's transaction id."""

    def __init__(self) -> None:
        self._by_ocpp_id: dict[str, HeldTransaction] = {}

    def get(self, ocpp_transaction_id: str) -> HeldTransaction | None:
        return self._by_ocpp_id.get(ocpp_transaction_id)

    def keep(self, tx: Transaction) -> None:
        """Hold `tx` as it is now, or forget it if it may not be held."""
        held = HeldTransaction.of(tx)
        if tx.ocpp_transaction_id is None:
            return
        if held is None:
            self._by_ocpp_id.pop(tx.ocpp_transaction_id, None)
            return
        before = self._by_ocpp_id.get(tx.ocpp_transaction_id)
        if before is not None and before.id == held.id:
            # What is known recorded stays known (a floor ahead of the database only sends an
            # event to the full check; one behind it would skip a needed one, and never is).
            held = replace(held, seq_floor=before.seq_floor)
        self._by_ocpp_id[tx.ocpp_transaction_id] = held

    def put(self, held: HeldTransaction) -> None:
        self._by_ocpp_id[held.ocpp_transaction_id] = held

    def recorded(self, ocpp_transaction_id: str, seq_no: int) -> None:
        """A 2.x event `seq_no` of a held session is recorded (or known to be): the floor rises."""
        held = self._by_ocpp_id.get(ocpp_transaction_id)
        if held is not None:
            floor = seq_no if held.seq_floor is None else max(held.seq_floor, seq_no)
            self._by_ocpp_id[ocpp_transaction_id] = replace(held, seq_floor=floor)

    def drop(self, ocpp_transaction_id: str) -> None:
        self._by_ocpp_id.pop(ocpp_transaction_id, None)
