"""The base query every tenant-owned table goes through.

Scoping lives here, once: a repository built for an organization can only ever see that
organization's rows, so another tenant's object is simply "not found". A caller confined to part
of the organization (a site-scoped user, see site_scopes/) hands its repositories a
`NarrowedOrganization` instead of a plain id, and the same base query narrows to that part.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, select
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


class NarrowedOrganization(str):
    """An organization id that also narrows what is read through it. It is still the
    organization's id wherever one is written or compared, so it flows unchanged through every
    service and repository that takes an `organization_id`; `conditions` says what it adds."""

    def conditions(self, model: type[Any]) -> list[ColumnElement[bool]]:
        return []


def narrowing(organization_id: str, model: type[Any]) -> list[ColumnElement[bool]]:
    """The conditions on `model`'s rows beyond the organization that `organization_id` adds
    (none for a plain id). For the few queries that name the organization column themselves
    instead of starting from `query()`."""
    if isinstance(organization_id, NarrowedOrganization):
        return organization_id.conditions(model)
    return []


def owned_by(model: type[Any], organization_id: str) -> ColumnElement[bool]:
    """The condition `query()` starts from: `model`'s rows of the organization, narrowed as
    `organization_id` says. For statements that select columns rather than whole rows."""
    owned: ColumnElement[bool] = model.organization_id == organization_id
    conditions = narrowing(organization_id, model)
    return and_(owned, *conditions) if conditions else owned


def whole_organization(model: Any, organization_id: Any) -> ColumnElement[bool]:
    """`model`'s rows of the organization, deliberately not narrowed by a site scope: for what
    is decided for the whole organization whoever asks (who waits for admission at a boot, the
    circuits a price ranks over). Named, so that leaving the narrowing out is a choice seen in
    review; anything else starts from `query()` or `owned_by()`. `model` may be an alias, and
    `organization_id` a bound parameter of a prebuilt statement."""
    condition: ColumnElement[bool] = model.organization_id == organization_id
    return condition


class ScopedRepository(Generic[M]):
    model: ClassVar[type[Any]]
    noun: ClassVar[str]

    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    def query(self) -> Select[M]:
        return select(self.model).where(owned_by(self.model, self.organization_id))

    async def find(self, key: Any) -> M | None:
        column: InstrumentedAttribute[Any] = self.model.id
        result = await self.session.execute(self.query().where(column == key))
        return result.scalars().first()

    async def by_primary_key(self, key: Any) -> M | None:
        """`find` by the table's primary key, letting the unit of work's identity map answer a
        row it already holds without a statement (the OCPP hot path reads back what it just
        wrote). A narrowed organization reads through `query()` instead, so a site scope
        applies here as everywhere."""
        if narrowing(self.organization_id, self.model):
            primary_key = self.model.__mapper__.primary_key[0]
            result = await self.session.execute(self.query().where(primary_key == key))
            return result.scalars().first()
        row = await self.session.get(self.model, key)
        return row if row is not None and row.organization_id == self.organization_id else None

    async def get(self, key: Any) -> M:
        found = await self.find(key)
        if found is None:
            raise NotFound(f"{self.noun} {key!r} does not exist")
        return found

    async def locked(self, key: Any) -> M:
        """The row as last committed, locked until the unit of work ends: what a change guarded
        by the row's revision (If-Match, a form's revision) must start from, so that of two
        changes naming one revision the second waits for the first and then sees its revision.

        PostgreSQL locks the row (`FOR UPDATE`; a check and an update without it interleave);
        SQLite ignores the clause, its one writer at a time already serialising the units of
        work. The row is read afresh even if this unit of work had loaded it before the lock."""
        column: InstrumentedAttribute[Any] = self.model.id
        await self.session.execute(
            select(column)
            .where(owned_by(self.model, self.organization_id), column == key)
            .with_for_update()
        )
        statement = self.query().where(column == key).execution_options(populate_existing=True)
        found = (await self.session.execute(statement)).scalars().first()
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
