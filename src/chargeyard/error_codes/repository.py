"""All SQL about vendor error codes: the organization's table, and the translations of a batch
of reported codes (the alert evaluator's, across organizations)."""

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.error_codes.models import VendorErrorCode
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching


class VendorErrorCodeRepository(ScopedRepository[VendorErrorCode]):
    model = VendorErrorCode
    noun = "Vendor error code"

    async def search(
        self, page: Page, *, vendor: str | None, model: str | None, code: str | None
    ) -> PageResult[VendorErrorCode]:
        statement = matching(
            self.query(),
            (VendorErrorCode.vendor, vendor),
            (VendorErrorCode.model, model),
            (VendorErrorCode.code, code),
        )
        order = [VendorErrorCode.vendor, VendorErrorCode.model, VendorErrorCode.code]
        return await self.page(statement, page, order_by=[*order, VendorErrorCode.id])

    async def entry(
        self, vendor: str, model: str, firmware_version: str, code: str
    ) -> VendorErrorCode | None:
        statement = self.query().where(
            VendorErrorCode.vendor == vendor,
            VendorErrorCode.model == model,
            VendorErrorCode.firmware_version == firmware_version,
            VendorErrorCode.code == code,
        )
        return (await self.session.execute(statement)).scalars().first()

    async def of_code(self, code: str) -> Sequence[VendorErrorCode]:
        statement = self.query().where(VendorErrorCode.code == code)
        return (await self.session.execute(statement)).scalars().all()


async def of_codes(
    session: AsyncSession, organizations: Collection[str], codes: Collection[str]
) -> Sequence[VendorErrorCode]:
    """Every translation of these codes in these organizations (unscoped: the evaluator's)."""
    if not organizations or not codes:
        return []
    statement = select(VendorErrorCode).where(
        VendorErrorCode.organization_id.in_(list(organizations)),
        VendorErrorCode.code.in_(list(codes)),
    )
    return (await session.execute(statement)).scalars().all()
