"""All SQL about site scopes: the locations below the sites a user was given, and the circuits
feeding stations there."""

from collections.abc import Collection

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from chargeyard.circuits.models import CircuitRow
from chargeyard.locations.models import Location
from chargeyard.site_scopes.domain import circuits_within
from chargeyard.stations.models import Station
from chargeyard.storage.repository import whole_organization


async def subtrees(
    session: AsyncSession, organization_id: str, roots: Collection[str]
) -> frozenset[str]:
    """The ids of `roots` and of every location below them, within the organization. A root
    that no longer exists contributes nothing (the user then sees less, never more). UNION
    ends the recursion even if a loop ever reached the table."""
    tree = (
        select(Location.id)
        .where(whole_organization(Location, str(organization_id)), Location.id.in_(roots))
        .cte("site_scope", recursive=True)
    )
    child = aliased(Location)
    tree = tree.union(
        select(child.id)
        .join(tree, child.parent_id == tree.c.id)
        .where(whole_organization(child, str(organization_id)))
    )
    return frozenset((await session.scalars(select(tree.c.id))).all())


async def existing(
    session: AsyncSession, organization_id: str, location_ids: Collection[str]
) -> frozenset[str]:
    """Which of `location_ids` are locations of the organization."""
    found = await session.scalars(
        select(Location.id).where(
            whole_organization(Location, str(organization_id)), Location.id.in_(location_ids)
        )
    )
    return frozenset(found.all())


async def circuits_within_sites(
    session: AsyncSession, organization_id: str, location_ids: Collection[str]
) -> frozenset[str]:
    """The circuits of the sites `location_ids` (`domain.circuits_within`): placed there, or
    unplaced with stations all there. Two statements: the tree, without its rows, and per
    circuit its stations counted, never loaded."""
    tree = await session.execute(
        select(CircuitRow.id, CircuitRow.parent_id, CircuitRow.location_id).where(
            whole_organization(CircuitRow, str(organization_id))
        )
    )
    rows = tree.all()
    if not rows:
        return frozenset()
    parents = {circuit_id: parent_id for circuit_id, parent_id, _ in rows}
    placed = {
        circuit_id: location_id in location_ids
        for circuit_id, _, location_id in rows
        if location_id is not None
    }
    inside = case((Station.location_id.in_(location_ids), 1), else_=0)
    counted = await session.execute(
        select(Station.circuit_id, func.count(), func.sum(inside))
        .where(whole_organization(Station, str(organization_id)), Station.circuit_id.is_not(None))
        .group_by(Station.circuit_id)
    )
    stations = {str(cid): (int(n), int(within or 0)) for cid, n, within in counted.all()}
    return circuits_within(parents, stations, placed)
