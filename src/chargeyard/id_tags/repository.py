"""All SQL about ID tags."""

from datetime import datetime

from chargeyard.id_tags.models import IdTag
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching


class IdTagRepository(ScopedRepository[IdTag]):
    model = IdTag
    noun = "ID tag"

    async def by_value(self, value: str) -> IdTag | None:
        result = await self.session.execute(self.query().where(IdTag.value_key == value.lower()))
        return result.scalars().first()

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
