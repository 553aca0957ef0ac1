"""All SQL about reported transaction events."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.storage.repository import Page, PageResult, owned_by, paginate
from chargeyard.transaction_events.models import TransactionEventRecord


class TransactionEventRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

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
        statement = select(TransactionEventRecord).where(
            owned_by(TransactionEventRecord, self.organization_id),
            TransactionEventRecord.transaction_id == transaction_id,
        )
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[TransactionEventRecord.seq_no, TransactionEventRecord.id],
        )
