"""All SQL about ID tags."""

from datetime import datetime

from chargeyard.id_tags.models import IdTag
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


class IdTagRepository(ScopedRepository[IdTag]):
    model = IdTag
    noun = "ID tag"

    async def by_value(self, value: str) -> IdTag | None:
        result = await self.session.execute(self.query().where(IdTag.value == value))
        return result.scalars().first()

    async def by_values(self, values: list[str]) -> dict[str, IdTag]:
        result = await self.session.execute(self.query().where(IdTag.value.in_(values)))
        return {tag.value: tag for tag in result.scalars()}

    async def search(
        self,
        page: Page,
        *,
        status: str | None = None,
        group: str | None = None,
        value: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[IdTag]:
        statement = self.query()
        if status is not None:
            statement = statement.where(IdTag.status == status)
        if group is not None:
            statement = statement.where(IdTag.group == group)
        if value is not None:
            statement = statement.where(IdTag.value == value)
        return await self.page(statement, page, order_by=[IdTag.value], updated_since=updated_since)
