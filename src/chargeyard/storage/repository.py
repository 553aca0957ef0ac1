"""The base query every tenant-owned table goes through.

Scoping lives here, once: a repository built for an organization can only ever see that
organization's rows, so another tenant's object is simply "not found".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from chargeyard.errors import NotFound

M = TypeVar("M")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Page:
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class PageResult(Generic[T_co]):
    items: Sequence[T_co]
    total: int


T = TypeVar("T")


async def paginate(
    session: AsyncSession, statement: Select[T], page: Page, *, order_by: Sequence[Any]
) -> PageResult[T]:
    total = await session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    rows = await session.execute(
        statement.order_by(*order_by).offset(page.offset).limit(page.limit)
    )
    return PageResult(items=rows.scalars().all(), total=int(total or 0))


def matching(statement: Select[T], *filters: tuple[Any, Any]) -> Select[T]:
    """`column == value` for each (column, value) whose value was given; None means no filter."""
    for column, value in filters:
        if value is not None:
            statement = statement.where(column == value)
    return statement


def within(
    statement: Select[T], column: Any, since: datetime | None, until: datetime | None
) -> Select[T]:
    """A time window on `column`: `since` inclusive, `until` exclusive, either open."""
    if since is not None:
        statement = statement.where(column >= since)
    if until is not None:
        statement = statement.where(column < until)
    return statement


class ScopedRepository(Generic[M]):
    model: ClassVar[type[Any]]
    noun: ClassVar[str]

    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    def query(self) -> Select[M]:
        return select(self.model).where(self.model.organization_id == self.organization_id)

    async def find(self, key: Any) -> M | None:
        column: InstrumentedAttribute[Any] = self.model.id
        result = await self.session.execute(self.query().where(column == key))
        return result.scalars().first()

    async def get(self, key: Any) -> M:
        found = await self.find(key)
        if found is None:
            raise NotFound(f"{self.noun} {key!r} does not exist")
        return found

    async def page(
        self,
        statement: Select[M],
        page: Page,
        *,
        order_by: Sequence[Any],
        updated_since: datetime | None = None,
    ) -> PageResult[M]:
        if updated_since is not None:
            statement = statement.where(self.model.updated_at > updated_since)
        return await paginate(self.session, statement, page, order_by=order_by)

    def add(self, row: M) -> M:
        self.session.add(row)
        return row

    async def delete(self, row: M) -> None:
        await self.session.delete(row)
