"""All SQL about locations: the scoped table, the site tree (recursive CTEs, which SQLite and
PostgreSQL both run) and the stations that hang on it."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from chargeyard.locations.domain import SiteRow
from chargeyard.locations.models import Location
from chargeyard.stations.models import Station
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    owned_by,
    whole_organization,
)


class LocationRepository(ScopedRepository[Location]):
    model = Location
    noun = "Location"

    async def search(
        self,
        page: Page,
        *,
        parent_id: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Location]:
        statement = self.query()
        if parent_id is not None:
            statement = statement.where(Location.parent_id == parent_id)
        return await self.page(
            statement, page, order_by=[Location.name, Location.id], updated_since=updated_since
        )

    async def lineage(self, location_id: str) -> Sequence[str]:
        """The location's id and the ids of all its ancestors. UNION (not UNION ALL) ends the
        recursion even if a loop ever reached the table."""
        chain = (
            select(Location.id, Location.parent_id)
            .where(Location.id == location_id, whole_organization(Location, self.organization_id))
            .cte("lineage", recursive=True)
        )
        parent = aliased(Location)
        chain = chain.union(
            select(parent.id, parent.parent_id)
            .join(chain, parent.id == chain.c.parent_id)
            .where(whole_organization(parent, self.organization_id))
        )
        return (await self.session.scalars(select(chain.c.id))).all()

    def subtree_ids(self, location_id: str) -> Select[tuple[str]]:
        """A query of the ids of the location and every location below it, to use inside
        another statement (stations under a site, recursively)."""
        tree = (
            select(Location.id)
            .where(Location.id == location_id, whole_organization(Location, self.organization_id))
            .cte("subtree_ids", recursive=True)
        )
        child = aliased(Location)
        tree = tree.union(
            select(child.id)
            .join(tree, child.parent_id == tree.c.id)
            .where(whole_organization(child, self.organization_id))
        )
        return select(tree.c.id)

    async def subtree(self, location_id: str) -> Sequence[SiteRow]:
        """The location and every location below it."""
        tree = (
            select(Location.id, Location.parent_id, Location.name)
            .where(Location.id == location_id, owned_by(Location, self.organization_id))
            .cte("subtree", recursive=True)
        )
        child = aliased(Location)
        tree = tree.union(
            select(child.id, child.parent_id, child.name)
            .join(tree, child.parent_id == tree.c.id)
            .where(whole_organization(child, self.organization_id))
        )
        rows = await self.session.execute(select(tree.c.id, tree.c.parent_id, tree.c.name))
        return [SiteRow(id=row.id, parent_id=row.parent_id, name=row.name) for row in rows]

    async def stations_at(self, location_ids: Sequence[str]) -> Sequence[tuple[str, str]]:
        """(station id, location id) for this organization's stations at these locations."""
        rows = await self.session.execute(
            select(Station.id, Station.location_id).where(
                whole_organization(Station, self.organization_id),
                Station.location_id.in_(location_ids),
            )
        )
        return [(station_id, location_id) for station_id, location_id in rows if location_id]

    async def count_stations(self, location_id: str) -> int:
        count = await self.session.scalar(
            select(func.count()).where(
                whole_organization(Station, self.organization_id),
                Station.location_id == location_id,
            )
        )
        return int(count or 0)

    async def count_children(self, location_id: str) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(
                self.query().where(Location.parent_id == location_id).subquery()
            )
        )
        return int(count or 0)
