"""All SQL about permissions, and what authorizing against them needs to know of a station."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select

from chargeyard.locations.models import Location
from chargeyard.permissions.models import Permission
from chargeyard.stations.models import Station
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    whole_organization,
)
from chargeyard.tag_groups.models import TagGroupMember


class PermissionRepository(ScopedRepository[Permission]):
    model = Permission
    noun = "Permission"

    async def search(
        self,
        page: Page,
        *,
        id_tag_id: str | None = None,
        tag_group_id: str | None = None,
        location_id: str | None = None,
        station_id: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Permission]:
        statement = matching(
            self.query(),
            (Permission.id_tag_id, id_tag_id),
            (Permission.tag_group_id, tag_group_id),
            (Permission.location_id, location_id),
            (Permission.station_id, station_id),
        )
        return await self.page(
            statement,
            page,
            order_by=[Permission.created_at, Permission.id],
            updated_since=updated_since,
        )

    async def held_by(self, id_tag_id: str) -> Sequence[Permission]:
        """The permissions a tag holds itself or through any of its groups (one statement:
        every authorization asks)."""
        groups = select(TagGroupMember.tag_group_id).where(TagGroupMember.id_tag_id == id_tag_id)
        holder = or_(Permission.id_tag_id == id_tag_id, Permission.tag_group_id.in_(groups))
        return (await self.session.scalars(self.query().where(holder))).all()

    async def everything(self) -> Sequence[Permission]:
        return (await self.session.scalars(self.query())).all()

    async def station_place(self, station_id: str) -> tuple[str | None, bool, str] | None:
        """The station's location id, its `allow_all_tags`, and its location's time zone (UTC
        for a station at no location); None if the station is not this organization's."""
        row = (
            await self.session.execute(
                select(Station.location_id, Station.allow_all_tags, Location.timezone)
                .outerjoin(Location, Location.id == Station.location_id)
                .where(Station.id == station_id, whole_organization(Station, self.organization_id))
            )
        ).first()
        if row is None:
            return None
        return row[0], bool(row[1]), row[2] or "UTC"
