"""All SQL about site scopes: the locations below the sites a user was given."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from chargeyard.locations.models import Location


async def subtrees(
    session: AsyncSession, organization_id: str, roots: Collection[str]
) -> frozenset[str]:
    """The ids of `roots` and of every location below them, within the organization. A root
    that no longer exists contributes nothing (the user then sees less, never more). UNION
    ends the recursion even if a loop ever reached the table."""
    tree = (
        select(Location.id)
        .where(Location.organization_id == str(organization_id), Location.id.in_(roots))
        .cte("site_scope", recursive=True)
    )
    child = aliased(Location)
    tree = tree.union(
        select(child.id)
        .join(tree, child.parent_id == tree.c.id)
        .where(child.organization_id == str(organization_id))
    )
    return frozenset((await session.scalars(select(tree.c.id))).all())


async def existing(
    session: AsyncSession, organization_id: str, location_ids: Collection[str]
) -> frozenset[str]:
    """Which of `location_ids` are locations of the organization."""
    found = await session.scalars(
        select(Location.id).where(
            Location.organization_id == str(organization_id), Location.id.in_(location_ids)
        )
    )
    return frozenset(found.all())
