"""All SQL about ID tags."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select

from chargeyard.drivers.models import DriverTag
from chargeyard.id_tags.models import IdTag
from chargeyard.organizations.models import Organization
from chargeyard.permissions.models import Permission
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching
from chargeyard.tag_groups.models import TagGroupMember


@dataclass(frozen=True)
class PresentedTag:
    """A tag as an authorization needs it, with what else decides it, read in one statement:
    whether a driver holds it, whether any permission names it (itself or through a group),
    and whether the organization requires permissions. Most tags have neither driver nor
    permission, and then nothing more is read."""

    tag: IdTag
    driver_id: str | None
    has_permissions: bool
    permissions_required: bool


class IdTagRepository(ScopedRepository[IdTag]):
    model = IdTag
    noun = "ID tag"

    async def by_value(self, value: str) -> IdTag | None:
        result = await self.session.execute(self.query().where(IdTag.value_key == value.lower()))
        return result.scalars().first()

    async def presented(self, value: str) -> PresentedTag | None:
        """The tag `value` (case-insensitively) with the facts of `PresentedTag`."""
        driver = select(DriverTag.driver_id).where(DriverTag.id_tag_id == IdTag.id)
        groups = select(TagGroupMember.tag_group_id).where(TagGroupMember.id_tag_id == IdTag.id)
        permission = exists().where(
            Permission.organization_id == IdTag.organization_id,
            or_(Permission.id_tag_id == IdTag.id, Permission.tag_group_id.in_(groups)),
        )
        required = select(Organization.permissions_required).where(
            Organization.id == IdTag.organization_id
        )
        statement = self.query().where(IdTag.value_key == value.lower())
        row = (
            await self.session.execute(
                statement.add_columns(
                    driver.scalar_subquery(),
                    permission,
                    required.scalar_subquery(),
                )
            )
        ).first()
        if row is None:
            return None
        return PresentedTag(row[0], row[1], bool(row[2]), bool(row[3]))

    async def by_reference(self, reference: str) -> IdTag | None:
        """A tag named the way the API lets clients name one: by its value (what the station
        sends), or else by its id."""
        return await self.by_value(reference) or await self.find(reference)

    async def by_values(self, values: list[str]) -> dict[str, IdTag]:
        """The tags matching `values` (case-insensitively), keyed by the value as asked for."""
        keys = {value.lower() for value in values}
        result = await self.session.execute(self.query().where(IdTag.value_key.in_(keys)))
        found = {tag.value_key: tag for tag in result.scalars()}
        return {value: found[value.lower()] for value in values if value.lower() in found}

    async def search(
        self,
        page: Page,
        *,
        status: str | None = None,
        group: str | None = None,
        value: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[IdTag]:
        statement = matching(
            self.query(),
            (IdTag.status, status),
            (IdTag.group, group),
            (IdTag.value_key, None if value is None else value.lower()),
        )
        return await self.page(statement, page, order_by=[IdTag.value], updated_since=updated_since)
