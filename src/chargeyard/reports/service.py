"""Reports streamed as CSV, page by page, in constant memory.

A report is its columns, how to read the page of rows after a key, and the key of a row. Each page
is read in a short read-only unit of work of its own, with keyset pagination (the rows after the
last key sent, never an offset), so a million-row export neither holds one long transaction open
nor slows down as it goes, and the client receives the first rows before the last are read.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.alerts.repository import AlertFilter, AlertRepository
from chargeyard.reports.domain import lines
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.database import Database
from chargeyard.transactions.repository import TransactionFilter, TransactionRepository

PAGE = 1000

K = TypeVar("K")


@dataclass(frozen=True)
class Report(Generic[K]):
    columns: Sequence[str]
    read: Callable[[AsyncSession, K | None, int], Awaitable[Sequence[Row[Any]]]]
    """The page of at most `limit` rows (the columns, in order) after a key (None: from the
    start)."""
    key: Callable[[Row[Any]], K]


async def stream(db: Database, report: Report[K], page: int = PAGE) -> AsyncIterator[str]:
    """The header, then one chunk of rows per page."""
    yield lines([report.columns])
    after: K | None = None
    while True:
        async with db.reading() as uow:
            found = await report.read(uow.session, after, page)
        if found:
            yield lines(found)
        if len(found) < page:
            return
        after = report.key(found[-1])


TRANSACTION_COLUMNS = (
    "id",
    "station_id",
    "evse_id",
    "connector_id",
    "ocpp_transaction_id",
    "id_tag",
    "auth_status",
    "started_at",
    "stopped_at",
    "meter_start_wh",
    "meter_stop_wh",
    "energy_wh",
    "stop_reason",
    "stop_id_tag",
    "reservation_id",
    "force_stopped",
)
STATUS_COLUMNS = (
    "id",
    "station_id",
    "evse_id",
    "connector_id",
    "status",
    "ocpp_status",
    "error_code",
    "info",
    "vendor_id",
    "vendor_error_code",
    "occurred_at",
    "received_at",
)
ALERT_COLUMNS = (
    "id",
    "name",
    "category",
    "urgency",
    "status",
    "station_id",
    "evse_id",
    "connector_id",
    "transaction_id",
    "started_at",
    "ended_at",
    "acknowledged_at",
    "resolved_by",
)


def transactions(organization_id: str, where: TransactionFilter) -> Report[int]:
    """Oldest first, as `/transactions` filters them."""

    async def read(session: AsyncSession, after: int | None, limit: int) -> Sequence[Row[Any]]:
        repository = TransactionRepository(session, organization_id)
        return await repository.export_page(where, after or 0, limit, TRANSACTION_COLUMNS)

    return Report(TRANSACTION_COLUMNS, read, lambda row: int(row[0]))


def status_history(organization_id: str, **where: Any) -> Report[int]:
    """In the order stored, as a station's `/status-history` filters it (any station when
    `station_id` is not given)."""

    async def read(session: AsyncSession, after: int | None, limit: int) -> Sequence[Row[Any]]:
        repository = StationRepository(session, organization_id)
        return await repository.status_history_page(after or 0, limit, STATUS_COLUMNS, **where)

    return Report(STATUS_COLUMNS, read, lambda row: int(row[0]))


def alerts(organization_id: str, where: AlertFilter) -> Report[tuple[datetime, str]]:
    """By start, as `/alerts` filters them."""

    async def read(
        session: AsyncSession, after: tuple[datetime, str] | None, limit: int
    ) -> Sequence[Row[Any]]:
        repository = AlertRepository(session, organization_id)
        return await repository.export_page(where, after, limit, ALERT_COLUMNS)

    started = ALERT_COLUMNS.index("started_at")
    return Report(ALERT_COLUMNS, read, lambda row: (row[started], str(row[0])))
