"""All SQL about vouchers and their redemptions."""

from datetime import datetime

from sqlalchemy import func, or_, select, update

from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    paginate,
)
from chargeyard.vouchers.domain import RedemptionStatus, VoucherStatus, code_key
from chargeyard.vouchers.models import Voucher, VoucherRedemption


class VoucherRepository(ScopedRepository[Voucher]):
    model = Voucher
    noun = "Voucher"

    async def search(
        self,
        page: Page,
        *,
        status: str | None = None,
        code: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Voucher]:
        statement = matching(
            self.query(),
            (Voucher.status, status),
            (Voucher.code_key, None if code is None else code_key(code)),
        )
        return await self.page(
            statement,
            page,
            order_by=[Voucher.created_at.desc(), Voucher.id],
            updated_since=updated_since,
        )

    async def by_code(self, code: str) -> Voucher | None:
        result = await self.session.execute(self.query().where(Voucher.code_key == code_key(code)))
        return result.scalars().first()

    async def claim(self, voucher: Voucher, now: datetime) -> bool:
        """Count one more redemption, if the voucher is active and has one left: one UPDATE whose
        condition the database checks against the row as it is when the UPDATE runs (on
        PostgreSQL a concurrent claim waits for this one's transaction and re-reads the row), so
        the last redemption of a limited code goes to one caller only. It also locks the row
        until the commit, which serializes redemptions of one code (`redeemed_by` relies on it)."""
        result = await self.session.execute(
            update(Voucher)
            .where(
                Voucher.id == voucher.id,
                owned_by(Voucher, self.organization_id),
                Voucher.status == VoucherStatus.ACTIVE.value,
                or_(
                    Voucher.max_redemptions.is_(None),
                    Voucher.redemptions < Voucher.max_redemptions,
                ),
            )
            .values(
                redemptions=Voucher.redemptions + 1,
                revision=Voucher.revision + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        claimed = getattr(result, "rowcount", 0) == 1
        await self.session.refresh(voucher)
        return claimed

    async def redeemed_by(self, voucher_id: str, driver_id: str) -> int:
        found = await self.session.scalar(
            select(func.count())
            .select_from(VoucherRedemption)
            .where(
                owned_by(VoucherRedemption, self.organization_id),
                VoucherRedemption.voucher_id == voucher_id,
                VoucherRedemption.driver_id == driver_id,
            )
        )
        return int(found or 0)

    def add_redemption(self, redemption: VoucherRedemption) -> None:
        self.session.add(redemption)

    async def pending_for(self, driver_id: str, currency: str) -> VoucherRedemption | None:
        """The driver's oldest percentage voucher not yet used on a session."""
        result = await self.session.execute(
            select(VoucherRedemption)
            .where(
                owned_by(VoucherRedemption, self.organization_id),
                VoucherRedemption.driver_id == driver_id,
                VoucherRedemption.status == RedemptionStatus.PENDING.value,
                VoucherRedemption.currency == currency,
            )
            .order_by(VoucherRedemption.redeemed_at, VoucherRedemption.id)
            .limit(1)
        )
        return result.scalars().first()

    async def redemptions(
        self, page: Page, *, voucher_id: str | None = None, driver_id: str | None = None
    ) -> PageResult[VoucherRedemption]:
        statement = matching(
            select(VoucherRedemption).where(owned_by(VoucherRedemption, self.organization_id)),
            (VoucherRedemption.voucher_id, voucher_id),
            (VoucherRedemption.driver_id, driver_id),
        )
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[VoucherRedemption.redeemed_at.desc(), VoucherRedemption.id],
        )
