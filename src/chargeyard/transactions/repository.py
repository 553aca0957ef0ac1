"""All SQL about transactions and meter values."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Select, Table, bindparam, func, insert, select, union_all, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import Executable

from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    narrowing,
    owned_by,
    paginate,
    within,
)
from chargeyard.transactions.domain import Latest
from chargeyard.transactions.held import HeldTransaction
from chargeyard.transactions.models import MeterValue, Transaction

_TABLE = cast(Table, Transaction.__table__)
_TX = _TABLE.c
# Built once: a statement built per message costs more than SQLite takes to run it.
_NOTE_LATEST_HELD = (
    update(_TABLE)
    .where(
        _TX.id == bindparam("held_id"),
        _TX.revision == bindparam("held_revision"),
        _TX.stopped_at.is_(None),
        _TX.tariff_id.is_(None),
    )
    .values(
        last_meter_at=bindparam("at"),
        last_meter_wh=func.coalesce(
            bindparam("meter_wh", type_=_TX.last_meter_wh.type), _TX.last_meter_wh
        ),
        last_power_w=func.coalesce(
            bindparam("power_w", type_=_TX.last_power_w.type), _TX.last_power_w
        ),
        last_soc=func.coalesce(bindparam("soc", type_=_TX.last_soc.type), _TX.last_soc),
        revision=_TX.revision + 1,
        updated_at=bindparam("now"),
    )
)


@dataclass(frozen=True)
class TransactionFilter:
    """What the transaction list and its exports select on; None means no filter."""

    station_id: str | None = None
    id_tag: str | None = None
    active: bool | None = None
    started_since: datetime | None = None
    started_until: datetime | None = None
    updated_since: datetime | None = None


# Most starts find the EVSE free and no recorded start like them: asked first with one prebuilt
# Core statement, which costs a fraction of loading (none) through the ORM. Two branches, not
# one OR: each is answered by its own index (migration 0029: the EVSE's open sessions, the
# station's sessions by start), where an OR made SQLite read every transaction of the
# organization.
_OPEN_OR_STARTED_IDS = union_all(
    select(_TX.id).where(
        _TX.organization_id == bindparam("organization_id"),
        _TX.station_id == bindparam("station_id"),
        _TX.evse_id == bindparam("evse_id"),
        _TX.stopped_at.is_(None),
    ),
    select(_TX.id).where(
        _TX.organization_id == bindparam("organization_id"),
        _TX.station_id == bindparam("station_id"),
        _TX.started_at == bindparam("started_at"),
        _TX.evse_id == bindparam("evse_id"),
    ),
)
# A station's transaction by its id on the wire, for a plain organization (`by_ocpp_id`).
_BY_OCPP_ID = select(Transaction).where(
    _TX.organization_id == bindparam("organization_id"),
    _TX.station_id == bindparam("station_id"),
    _TX.ocpp_transaction_id == bindparam("ocpp_transaction_id"),
)
# A session start's row (`TransactionRepository.insert_new`), and the attributes it fills.
_INSERT_NEW = insert(_TABLE)
_ATTRIBUTES = tuple(
    (attribute.key, attribute.columns[0].key) for attribute in Transaction.__mapper__.column_attrs
)
# A 1.6 transaction's OCPP id is its row id, known once inserted.
_NUMBER = (
    update(_TABLE)
    .where(_TX.id == bindparam("tx_id"))
    .values(ocpp_transaction_id=bindparam("ocpp_id"), updated_at=bindparam("now"))
)
# A held session's stop (`held.py`): the row closes only if it is still as held.
_CLOSE_HELD = (
    update(_TABLE)
    .where(
        _TX.id == bindparam("held_id"),
        _TX.revision == bindparam("held_revision"),
        _TX.stopped_at.is_(None),
        _TX.tariff_id.is_(None),
    )
    .values(
        stopped_at=bindparam("at"),
        meter_stop_wh=bindparam("meter_stop"),
        energy_wh=bindparam("energy"),
        stop_reason=bindparam("reason"),
        stop_id_tag=bindparam("stop_tag"),
        revision=_TX.revision + 1,
        updated_at=bindparam("now"),
    )
)


def note_latest_held(
    held: HeldTransaction, latest: Latest, now: datetime
) -> tuple[Executable, dict[str, Any]]:
    """The guarded UPDATE of `TransactionRepository.note_latest_held`, to run now or to defer
    to the batch's commit (`storage/group_commit.py: GuardedWrite`)."""
    return _NOTE_LATEST_HELD, {
        "held_id": held.id,
        "held_revision": held.revision,
        "at": latest.at,
        "meter_wh": latest.meter_wh,
        "power_w": latest.power_w,
        "soc": latest.soc,
        "now": now,
    }


class TransactionRepository(ScopedRepository[Transaction]):
    model = Transaction
    noun = "Transaction"

    @across_organizations(
        "keyed by a station the scoped caller loaded, whose id is unique across organizations; "
        "an organization condition would make SQLite search the organization's index instead "
        "of the station's"
    )
    async def exists_for(self, station_id: str) -> bool:
        found = await self.session.scalar(
            select(Transaction.id).where(Transaction.station_id == station_id).limit(1)
        )
        return found is not None

    async def active_on(self, station_id: str, evse_id: int) -> Sequence[Transaction]:
        result = await self.session.execute(
            self.query().where(
                Transaction.station_id == station_id,
                Transaction.evse_id == evse_id,
                Transaction.stopped_at.is_(None),
            )
        )
        return result.scalars().all()

    async def by_ocpp_id(self, station_id: str, ocpp_transaction_id: str) -> Transaction | None:
        """The station's transaction by the id it uses on the wire (each 2.x TransactionEvent
        that memory cannot decide asks): a prebuilt statement for a plain organization, where
        building one per message cost more than running it."""
        if narrowing(self.organization_id, Transaction):
            statement = self.query().where(
                Transaction.station_id == station_id,
                Transaction.ocpp_transaction_id == ocpp_transaction_id,
            )
            return (await self.session.execute(statement)).scalars().first()
        parameters = {
            "organization_id": self.organization_id,
            "station_id": station_id,
            "ocpp_transaction_id": ocpp_transaction_id,
        }
        result = await self.session.execute(_BY_OCPP_ID, parameters)
        return result.scalars().first()

    async def open_or_started(
        self, station_id: str, evse_id: int, started_at: datetime
    ) -> Sequence[Transaction]:
        """The EVSE's open transactions and those that started at `started_at`: what a start
        is checked against (a retry of a recorded start, sessions it proves ended), in one
        prebuilt statement (loaded, by id, only when it finds any)."""
        parameters = {
            "organization_id": self.organization_id,
            "station_id": station_id,
            "evse_id": evse_id,
            "started_at": started_at,
        }
        ids = set((await self.session.execute(_OPEN_OR_STARTED_IDS, parameters)).scalars())
        if not ids:
            return []
        result = await self.session.execute(
            self.query().where(Transaction.id.in_(ids)).order_by(Transaction.id)
        )
        return result.scalars().all()

    async def insert_new(self, tx: Transaction) -> None:
        """Insert `tx`, a new transaction not in the session, as this organization's with one
        prebuilt Core INSERT, and make it the session's stored row with every column loaded
        (its id, defaults and timestamps as inserted): what `add` and a flush do, without the
        ORM's unit of work, which cost a session start more than the rest of its statements.
        Later changes to `tx` in this unit are flushed as the ORM's UPDATEs, as for any row."""
        tx.organization_id = self.organization_id
        given = tx.__dict__
        values = {column: given[key] for key, column in _ATTRIBUTES if key in given}
        result = await self.session.execute(_INSERT_NEW, values)
        stored = result.last_inserted_params()  # type: ignore[attr-defined]  # a CursorResult
        (tx.id,) = result.inserted_primary_key  # type: ignore[attr-defined]
        for key, column in _ATTRIBUTES:
            if key != "id":
                setattr(tx, key, stored.get(column))
        make_transient_to_detached(tx)
        self.session.add(tx)

    async def number(self, tx: Transaction, now: datetime) -> None:
        """Give an inserted transaction its row id as its OCPP id (1.6, where the CSMS names
        transactions): one prebuilt UPDATE, the object told it is stored (no flush of its own)."""
        ocpp_id = str(tx.id)
        await self.session.execute(_NUMBER, {"tx_id": tx.id, "ocpp_id": ocpp_id, "now": now})
        set_committed_value(tx, "ocpp_transaction_id", ocpp_id)
        set_committed_value(tx, "updated_at", now)

    async def close_held(
        self,
        held: HeldTransaction,
        at: datetime,
        meter_stop_wh: int | None,
        energy: int | None,
        reason: str | None,
        stop_id_tag: str | None,
        now: datetime,
    ) -> bool:
        """Close a held session (as `TransactionService` closes a loaded one, with `touch`) if
        the row is still as held (`held.py`); False, with nothing written, if not."""
        parameters = {
            "held_id": held.id,
            "held_revision": held.revision,
            "at": at,
            "meter_stop": meter_stop_wh,
            "energy": energy,
            "reason": reason,
            "stop_tag": stop_id_tag,
            "now": now,
        }
        result = await self.session.execute(_CLOSE_HELD, parameters)
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]  # a CursorResult

    async def search(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        id_tag: str | None = None,
        active: bool | None = None,
        started_since: datetime | None = None,
        started_until: datetime | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Transaction]:
        where = TransactionFilter(station_id, id_tag, active, started_since, started_until)
        return await self.page(
            self.filtered(where),
            page,
            order_by=[Transaction.id.desc()],
            updated_since=updated_since,
        )

    def filtered(self, where: "TransactionFilter") -> Select[Transaction]:
        statement = matching(
            self.query(),
            (Transaction.station_id, where.station_id),
            (Transaction.id_tag, where.id_tag),
        )
        if where.active is not None:
            statement = statement.where(
                Transaction.stopped_at.is_(None)
                if where.active
                else Transaction.stopped_at.is_not(None)
            )
        if where.updated_since is not None:
            statement = statement.where(Transaction.updated_at > where.updated_since)
        return within(statement, Transaction.started_at, where.started_since, where.started_until)

    async def export_page(
        self, where: "TransactionFilter", after_id: int, limit: int, columns: Sequence[str]
    ) -> Sequence[Row[Any]]:
        """`columns` of the next `limit` matching transactions after `after_id`, in id order:
        keyset pagination, so a long export reads each page as fast as the first (and plain
        rows, not ORM objects, which would cost twice the time)."""
        statement = (
            self.filtered(where)
            .with_only_columns(*(getattr(Transaction, name) for name in columns))
            .where(Transaction.id > after_id)
            .order_by(Transaction.id)
            .limit(limit)
        )
        return (await self.session.execute(statement)).all()

    async def add_meter_values(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert samples as this organization's, whatever organization a row names (the
        repository, not its caller, decides whose rows it writes)."""
        if rows:
            organization_id = self.organization_id
            await self.session.execute(
                insert(MeterValue), [{**row, "organization_id": organization_id} for row in rows]
            )

    async def note_latest_held(self, held: HeldTransaction, latest: Latest, now: datetime) -> bool:
        """Move a held session's live values to `latest` (as `TransactionService` does to a
        loaded one, with `touch`), if the row is still as held (`held.py`); False if not."""
        statement, parameters = note_latest_held(held, latest, now)
        result = await self.session.execute(statement, parameters)
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]  # a CursorResult

    @across_organizations(
        "keyed by the connected station's own id, unique across organizations (its samples are "
        "its own); an organization condition would make SQLite search the organization's index "
        "instead of the station's on every MeterValues"
    )
    async def newest_meter_value(self, station_id: str, evse_id: int) -> datetime | None:
        """The time of the newest stored sample of one EVSE (the meter watermark's seed)."""
        newest: datetime | None = await self.session.scalar(
            select(func.max(MeterValue.timestamp)).where(
                MeterValue.station_id == station_id,
                MeterValue.evse_id == evse_id,
            )
        )
        return newest

    @across_organizations(
        "keyed by the connected station's own id, unique across organizations (its samples are "
        "its own); an organization condition would make SQLite search the organization's index "
        "instead of the station's on every MeterValues"
    )
    async def stored_samples(
        self, station_id: str, evse_id: int, timestamps: set[datetime]
    ) -> set[tuple[Any, ...]]:
        """The identity of each stored sample of one EVSE taken at one of `timestamps`
        (timestamp, measurand, phase, location, context): what a resent sample is checked
        against (`metering.distinct`)."""
        result = await self.session.execute(
            select(
                MeterValue.timestamp,
                MeterValue.measurand,
                MeterValue.phase,
                MeterValue.location,
                MeterValue.context,
            ).where(
                MeterValue.station_id == station_id,
                MeterValue.evse_id == evse_id,
                MeterValue.timestamp.in_(timestamps),
            )
        )
        return {tuple(row) for row in result}

    async def meter_values(
        self,
        page: Page,
        *,
        transaction_id: int | None = None,
        station_id: str | None = None,
        measurand: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageResult[MeterValue]:
        statement = matching(
            select(MeterValue).where(owned_by(MeterValue, self.organization_id)),
            (MeterValue.transaction_id, transaction_id),
            (MeterValue.station_id, station_id),
            (MeterValue.measurand, measurand),
        )
        statement = within(statement, MeterValue.timestamp, since, until)
        return await paginate(
            self.session, statement, page, order_by=[MeterValue.timestamp, MeterValue.id]
        )
