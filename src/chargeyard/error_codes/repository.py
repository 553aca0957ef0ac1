"""All SQL about vendor error codes: the organization's table, and the translations of a batch
of reported codes (the alert evaluator's, across organizations)."""

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.error_codes.models import VendorErrorCode
from chargeyard.stations.models import Station
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching

ACROSS_ORGANIZATIONS = (
    "the alert evaluator translates every organization's vendor error codes in one batch and"
    " keys what it finds by organization"
)


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
        self, vendor: str, model: str, firmware_version: str, code: str, *, locked: bool = False
    ) -> VendorErrorCode | None:
        """The translation under this key; `locked`: its row locked until the unit of work ends
        and read afresh (what `ScopedRepository.locked` does by id), for a write that raises its
        revision without an If-Match of its own (the import)."""
        statement = self.query().where(
            VendorErrorCode.vendor == vendor,
            VendorErrorCode.model == model,
            VendorErrorCode.firmware_version == firmware_version,
            VendorErrorCode.code == code,
        )
        if locked:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalars().first()

    async def of_code(self, code: str) -> Sequence[VendorErrorCode]:
        statement = self.query().where(VendorErrorCode.code == code)
        return (await self.session.execute(statement)).scalars().all()


@across_organizations(ACROSS_ORGANIZATIONS)
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


@across_organizations(ACROSS_ORGANIZATIONS)
async def hardware_of(
    session: AsyncSession, station_ids: Collection[str]
) -> Sequence[tuple[str, str, str | None, str | None, str | None]]:
    """(organization, station, vendor, model, firmware) of each station, across organizations:
    the alert evaluator translates a batch of every organization's reports at once, and keys
    what it finds by organization, so no row serves another tenant's code."""
    statement = select(
        Station.organization_id, Station.id, Station.vendor, Station.model, Station.firmware_version
    ).where(Station.id.in_(station_ids))
    return [tuple(row) for row in (await session.execute(statement)).all()]  # type: ignore[misc]
