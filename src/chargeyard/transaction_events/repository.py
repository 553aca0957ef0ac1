"""All SQL about reported transaction events."""

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by, paginate
from chargeyard.transaction_events.models import TransactionEventRecord


def latest_charging_state(
    transaction_id: ColumnElement[Any] | InstrumentedAttribute[int],
) -> ColumnElement[str | None]:
    """The chargingState a transaction's latest event carrying one reported (2.0.1 and later),
    correlated to `transaction_id`; NULL for a 1.6 session. A 2.x connector reports Occupied
    whether the car draws power or not: only this says whether the session is charging."""
    return (
        select(TransactionEventRecord.charging_state)
        .where(
            TransactionEventRecord.transaction_id == transaction_id,
            TransactionEventRecord.charging_state.is_not(None),
        )
        .order_by(TransactionEventRecord.seq_no.desc())
        .limit(1)
        .correlate_except(TransactionEventRecord)
        .scalar_subquery()
    )


class TransactionEventRepository(ScopedRepository[TransactionEventRecord]):
    model = TransactionEventRecord
    noun = "transaction event"

    async def seen(self, transaction_id: int, seq_no: int) -> bool:
        count = await self.session.scalar(
            select(func.count()).where(
                owned_by(TransactionEventRecord, self.organization_id),
                TransactionEventRecord.transaction_id == transaction_id,
                TransactionEventRecord.seq_no == seq_no,
            )
        )
        return bool(count)

    async def highest_seq_no(self, transaction_id: int) -> int:
        """The highest seqNo recorded for the transaction (-1: none)."""
        highest = await self.session.scalar(
            select(func.max(TransactionEventRecord.seq_no)).where(
                owned_by(TransactionEventRecord, self.organization_id),
                TransactionEventRecord.transaction_id == transaction_id,
            )
        )
        return -1 if highest is None else int(highest)

    async def of_transaction(
        self, transaction_id: int, page: Page
    ) -> PageResult[TransactionEventRecord]:
        statement = self.query().where(TransactionEventRecord.transaction_id == transaction_id)
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[TransactionEventRecord.seq_no, TransactionEventRecord.id],
        )
