"""Reports streamed as CSV, page by page, in constant memory.

Each page is read in a short read-only unit of work of its own (keyset pagination on the id), so
a million-row export neither holds one long transaction open nor slows down as it goes; the
client receives the first rows before the last are read.
"""

from collections.abc import AsyncIterator, Sequence

from chargeyard.reports.domain import Cell, lines
from chargeyard.storage.database import Database
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionFilter, TransactionRepository

PAGE = 1000

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


def transaction_row(tx: Transaction) -> Sequence[Cell]:
    return [getattr(tx, column) for column in TRANSACTION_COLUMNS]


async def transactions_csv(
    db: Database, organization_id: str, where: TransactionFilter, page: int = PAGE
) -> AsyncIterator[str]:
    """The header, then one chunk of rows per page, oldest transaction first."""
    yield lines([TRANSACTION_COLUMNS])
    after = 0
    while True:
        async with db.reading() as uow:
            found = await TransactionRepository(uow.session, organization_id).after(
                where, after, page
            )
            chunk = lines(transaction_row(tx) for tx in found)
        if chunk:
            yield chunk
        if len(found) < page:
            return
        after = found[-1].id
