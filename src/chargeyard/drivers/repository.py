"""All SQL about drivers, their tags and their ledger."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, func, select

from chargeyard.drivers.models import Driver, DriverTag, LedgerEntry, Payment
from chargeyard.id_tags.models import IdTag
from chargeyard.storage.amount import from_micros
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    paginate,
)
from chargeyard.subscriptions.models import Subscription
from chargeyard.vouchers.models import VoucherRedemption


class DriverRepository(ScopedRepository[Driver]):
    model = Driver
    noun = "Driver"

    async def search(
        self,
        page: Page,
        *,
        status: str | None = None,
        email: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Driver]:
        statement = matching(self.query(), (Driver.status, status), (Driver.email, email))
        return await self.page(
            statement, page, order_by=[Driver.name, Driver.id], updated_since=updated_since
        )

    def add_payment(self, payment: Payment) -> Payment:
        """A top-up's payment, kept whatever the provider answered."""
        self.session.add(payment)
        return payment

    def add_entry(self, entry: LedgerEntry) -> LedgerEntry:
        """A ledger entry: appended, never changed."""
        self.session.add(entry)
        return entry

    async def by_email(self, email: str) -> Driver | None:
        result = await self.session.execute(self.query().where(Driver.email == email))
        return result.scalars().first()

    async def for_tag(self, value: str) -> Driver | None:
        """The driver an ID tag (by value, case-insensitively) belongs to."""
        result = await self.session.execute(
            self.query()
            .join(DriverTag, DriverTag.driver_id == Driver.id)
            .join(IdTag, IdTag.id == DriverTag.id_tag_id)
            .where(owned_by(IdTag, self.organization_id), IdTag.value_key == value.lower())
        )
        return result.scalars().first()

    async def tags(self, driver_ids: Sequence[str]) -> dict[str, list[str]]:
        rows = await self.session.execute(
            select(DriverTag.driver_id, IdTag.value)
            .join(IdTag, IdTag.id == DriverTag.id_tag_id)
            .where(
                owned_by(DriverTag, self.organization_id),
                DriverTag.driver_id.in_(driver_ids),
            )
            .order_by(IdTag.value)
        )
        found: dict[str, list[str]] = {driver_id: [] for driver_id in driver_ids}
        for driver_id, value in rows:
            found[driver_id].append(value)
        return found

    async def link(self, driver_id: str, tag: IdTag) -> None:
        self.session.add(
            DriverTag(id_tag_id=tag.id, organization_id=self.organization_id, driver_id=driver_id)
        )

    async def link_of(self, tag: IdTag) -> DriverTag | None:
        statement = select(DriverTag).where(
            owned_by(DriverTag, self.organization_id), DriverTag.id_tag_id == tag.id
        )
        found: DriverTag | None = await self.session.scalar(statement)
        return found

    async def unlink(self, link: DriverTag) -> None:
        await self.session.delete(link)

    async def balances(self, driver_ids: Sequence[str]) -> dict[str, Decimal]:
        """Each driver's balance: the sum of their entries (exact: amounts are integers)."""
        rows = await self.session.execute(
            select(LedgerEntry.driver_id, func.sum(LedgerEntry.amount, type_=BigInteger))
            .where(
                owned_by(LedgerEntry, self.organization_id),
                LedgerEntry.driver_id.in_(driver_ids),
            )
            .group_by(LedgerEntry.driver_id)
        )
        found = {driver_id: Decimal(0) for driver_id in driver_ids}
        for driver_id, total in rows:
            found[driver_id] = from_micros(int(total or 0))
        return found

    async def has_entries(self, driver_id: str) -> bool:
        found = await self.session.scalar(
            select(LedgerEntry.id)
            .where(owned_by(LedgerEntry, self.organization_id), LedgerEntry.driver_id == driver_id)
            .limit(1)
        )
        return found is not None

    async def has_history(self, driver_id: str) -> bool:
        """Whether anything of the driver's money refers to them: ledger entries, subscriptions
        (even free ones) or redeemed vouchers (even held ones)."""
        if await self.has_entries(driver_id):
            return True
        for model in (Subscription, VoucherRedemption):
            statement = select(model.driver_id).where(
                owned_by(model, self.organization_id), model.driver_id == driver_id
            )
            if await self.session.scalar(statement.limit(1)):
                return True
        return False

    async def ledger(
        self, driver_id: str, page: Page, *, kind: str | None = None
    ) -> PageResult[LedgerEntry]:
        statement = matching(
            select(LedgerEntry).where(
                owned_by(LedgerEntry, self.organization_id),
                LedgerEntry.driver_id == driver_id,
            ),
            (LedgerEntry.kind, kind),
        )
        return await paginate(self.session, statement, page, order_by=[LedgerEntry.id.desc()])

    async def net_for(self, cdr_id: str) -> Decimal:
        """What the entries booked with a CDR add up to: its session charge and the discounts
        and voucher credits that went with it (negative: the driver paid)."""
        total = await self.session.scalar(
            select(func.sum(LedgerEntry.amount, type_=BigInteger)).where(
                owned_by(LedgerEntry, self.organization_id), LedgerEntry.cdr_id == cdr_id
            )
        )
        return from_micros(int(total or 0))
