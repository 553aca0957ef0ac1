"""All SQL about ID tags."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, exists, func, literal, or_, select

from chargeyard.drivers.models import DriverTag
from chargeyard.id_tags.models import IdTag
from chargeyard.organizations.models import Organization
from chargeyard.permissions.models import Permission
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching
from chargeyard.tag_groups.models import TagGroupMember
from chargeyard.transactions.models import Transaction


@dataclass(frozen=True)
class TagFacts:
    """What an authorization reads of a tag's row."""

    id: str
    value: str
    status: str
    expires_at: datetime | None
    parent_id_tag: str | None
    group: str | None


@dataclass(frozen=True)
class PresentedTag:
    """A tag as an authorization needs it, with what else decides it, read in one statement:
    whether a driver holds it, whether any permission names it (itself or through a group),
    whether the organization requires permissions, and (when asked) whether it has an open
    accepted session. Most tags have neither driver nor permission, and then nothing more is
    read."""

    tag: TagFacts
    driver_id: str | None
    has_permissions: bool
    permissions_required: bool
    in_use: bool


def _columns(model: type) -> Any:
    return cast(Table, model.__table__).c  # type: ignore[attr-defined]  # a mapped class


def _presented_statement(*, in_use: bool) -> Select[Any]:
    """Prebuilt, so that an authorization (a station asks several per session) costs one
    execution of a cached statement rather than building and compiling one.

    Written over the tables' columns, not the mapped attributes: a statement that names a
    mapped attribute gets the ORM's compile state and result loading at every execution (about
    50 microseconds here), which a statement returning plain columns does not need. The session
    still autoflushes before it (SQLAlchemy does for Core statements too), so the unit's own
    unflushed changes are seen as before."""
    tags = _columns(IdTag)
    drivers = _columns(DriverTag)
    members = _columns(TagGroupMember)
    permissions = _columns(Permission)
    organizations = _columns(Organization)
    transactions = _columns(Transaction)
    driver = select(drivers.driver_id).where(drivers.id_tag_id == tags.id)
    groups = select(members.tag_group_id).where(members.id_tag_id == tags.id)
    permission = exists().where(
        permissions.organization_id == tags.organization_id,
        or_(permissions.id_tag_id == tags.id, permissions.tag_group_id.in_(groups)),
    )
    required = select(organizations.permissions_required).where(
        organizations.id == tags.organization_id
    )
    # A tag's open sessions, through the index on the lowered tag of open ones (0012). Compared
    # with the parameter, not the tag row's column: SQLite uses an expression index only for a
    # comparison without the column's TEXT affinity, and with `value_key` it read every open
    # session of the organization.
    open_session = exists().where(
        transactions.organization_id == tags.organization_id,
        func.lower(transactions.id_tag) == bindparam("value_key"),
        transactions.stopped_at.is_(None),
        transactions.auth_status == "Accepted",
        transactions.id != bindparam("exclude_transaction"),
    )
    return select(
        tags.id,
        tags.value,
        tags.status,
        tags.expires_at,
        tags.parent_id_tag,
        tags.group,
        driver.scalar_subquery(),
        permission,
        required.scalar_subquery(),
        open_session if in_use else literal(False),
    ).where(
        tags.organization_id == bindparam("organization_id"),
        tags.value_key == bindparam("value_key"),
    )


_PRESENTED = _presented_statement(in_use=False)
_PRESENTED_IN_USE = _presented_statement(in_use=True)


class IdTagRepository(ScopedRepository[IdTag]):
    model = IdTag
    noun = "ID tag"

    async def by_value(self, value: str) -> IdTag | None:
        result = await self.session.execute(self.query().where(IdTag.value_key == value.lower()))
        return result.scalars().first()

    async def presented(
        self, value: str, *, in_use: bool = False, exclude_transaction: int | None = None
    ) -> PresentedTag | None:
        """The tag `value` (case-insensitively) with the facts of `PresentedTag`; `in_use`
        asks whether it has an open accepted session other than `exclude_transaction`."""
        statement = _PRESENTED_IN_USE if in_use else _PRESENTED
        parameters = {
            "organization_id": self.organization_id,
            "value_key": value.lower(),
            "exclude_transaction": -1 if exclude_transaction is None else exclude_transaction,
        }
        row = (await self.session.execute(statement, parameters)).first()
        if row is None:
            return None
        return PresentedTag(
            TagFacts(*row[:6]), row[6], bool(row[7]), bool(row[8]), in_use and bool(row[9])
        )

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
