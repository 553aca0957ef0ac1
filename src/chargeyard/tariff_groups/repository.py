"""All SQL about tariff groups: the groups, their members and places, and the one query that
finds the groups applying to a session at its start."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.drivers.models import DriverTag
from chargeyard.id_tags.models import IdTag
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    whole_organization,
)
from chargeyard.subscriptions.domain import SubscriptionStatus
from chargeyard.subscriptions.models import Subscription, SubscriptionPlan
from chargeyard.tariff_groups.domain import Applying, Place, PlaceKind
from chargeyard.tariff_groups.models import (
    TariffGroup,
    TariffGroupDriver,
    TariffGroupPlace,
    TariffGroupTag,
)


class TariffGroupRepository(ScopedRepository[TariffGroup]):
    model = TariffGroup
    noun = "Tariff group"

    async def by_name(self, name: str) -> TariffGroup | None:
        result = await self.session.execute(self.query().where(TariffGroup.name == name))
        return result.scalars().first()

    async def search(
        self,
        page: Page,
        *,
        name: str | None = None,
        tariff_id: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[TariffGroup]:
        statement = matching(
            self.query(), (TariffGroup.name, name), (TariffGroup.tariff_id, tariff_id)
        )
        return await self.page(
            statement, page, order_by=[TariffGroup.name], updated_since=updated_since
        )

    async def tag_values(self, group_ids: Collection[str]) -> dict[str, list[str]]:
        """Each group's ID tag members as tag values, sorted."""
        found: dict[str, list[str]] = {group_id: [] for group_id in group_ids}
        rows = await self.session.execute(
            select(TariffGroupTag.tariff_group_id, IdTag.value)
            .join(IdTag, IdTag.id == TariffGroupTag.id_tag_id)
            .where(
                owned_by(IdTag, self.organization_id),
                TariffGroupTag.tariff_group_id.in_(list(group_ids)),
            )
            .order_by(IdTag.value)
        )
        for group_id, value in rows:
            found[group_id].append(value)
        return found

    async def driver_ids(self, group_ids: Collection[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {group_id: [] for group_id in group_ids}
        rows = await self.session.execute(
            select(TariffGroupDriver.tariff_group_id, TariffGroupDriver.driver_id)
            .where(TariffGroupDriver.tariff_group_id.in_(list(group_ids)))
            .order_by(TariffGroupDriver.driver_id)
        )
        for group_id, driver_id in rows:
            found[group_id].append(driver_id)
        return found

    async def places(self, group_ids: Collection[str]) -> dict[str, list[Place]]:
        found: dict[str, list[Place]] = {group_id: [] for group_id in group_ids}
        rows = await self.session.execute(
            select(
                TariffGroupPlace.tariff_group_id,
                TariffGroupPlace.station_id,
                TariffGroupPlace.location_id,
            ).where(
                whole_organization(TariffGroupPlace, self.organization_id),
                TariffGroupPlace.tariff_group_id.in_(list(group_ids)),
            )
        )
        for group_id, station_id, location_id in rows:
            found[group_id].append(_place(station_id, location_id))
        for places in found.values():
            places.sort()
        return found

    async def set_tags(self, group: TariffGroup, tag_ids: Collection[str]) -> None:
        await self.session.execute(
            delete(TariffGroupTag).where(TariffGroupTag.tariff_group_id == group.id)
        )
        for tag_id in sorted(set(tag_ids)):
            self.session.add(TariffGroupTag(tariff_group_id=group.id, id_tag_id=tag_id))

    async def set_drivers(self, group: TariffGroup, driver_ids: Collection[str]) -> None:
        await self.session.execute(
            delete(TariffGroupDriver).where(TariffGroupDriver.tariff_group_id == group.id)
        )
        for driver_id in sorted(set(driver_ids)):
            self.session.add(TariffGroupDriver(tariff_group_id=group.id, driver_id=driver_id))

    async def set_places(self, group: TariffGroup, places: Sequence[Place]) -> None:
        await self.session.execute(
            delete(TariffGroupPlace).where(TariffGroupPlace.tariff_group_id == group.id)
        )
        for place in places:
            self.session.add(
                TariffGroupPlace(
                    organization_id=self.organization_id,
                    tariff_group_id=group.id,
                    station_id=place.id if place.kind is PlaceKind.STATION else None,
                    location_id=place.id if place.kind is PlaceKind.LOCATION else None,
                )
            )

    async def named_by_plans(self, group_id: str) -> bool:
        """Whether a subscription plan names the group (it cannot be deleted then)."""
        found = await self.session.execute(
            select(SubscriptionPlan.id)
            .where(
                owned_by(SubscriptionPlan, self.organization_id),
                SubscriptionPlan.tariff_group_id == group_id,
            )
            .limit(1)
        )
        return found.first() is not None

    async def applying(
        self, id_tag: str, station_id: str, location_ids: Sequence[str]
    ) -> list[Applying]:
        """The groups that hold the tag (directly, through the driver holding it, or through that
        driver's active subscription to a plan naming the group) with each of
        their places that covers the station: the station itself, one of `location_ids` (its
        location and that location's parents) or the whole organization. One statement."""
        tag_ids = select(IdTag.id).where(
            owned_by(IdTag, self.organization_id), IdTag.value_key == id_tag.lower()
        )
        by_tag = exists().where(
            TariffGroupTag.tariff_group_id == TariffGroup.id,
            TariffGroupTag.id_tag_id.in_(tag_ids),
        )
        by_driver = exists().where(
            TariffGroupDriver.tariff_group_id == TariffGroup.id,
            TariffGroupDriver.driver_id == DriverTag.driver_id,
            DriverTag.id_tag_id.in_(tag_ids),
        )
        # A subscriber to a plan naming the group (`subscriptions/`) is priced as a member
        # while the subscription is active.
        by_subscription = exists().where(
            SubscriptionPlan.tariff_group_id == TariffGroup.id,
            Subscription.plan_id == SubscriptionPlan.id,
            Subscription.status == SubscriptionStatus.ACTIVE.value,
            Subscription.driver_id == DriverTag.driver_id,
            DriverTag.id_tag_id.in_(tag_ids),
        )
        where = [
            TariffGroupPlace.station_id == station_id,
            TariffGroupPlace.station_id.is_(None) & TariffGroupPlace.location_id.is_(None),
        ]
        if location_ids:
            where.append(TariffGroupPlace.location_id.in_(list(location_ids)))
        rows = await self.session.execute(
            select(
                TariffGroup.id,
                TariffGroup.name,
                TariffGroup.tariff_id,
                TariffGroupPlace.station_id,
                TariffGroupPlace.location_id,
            )
            .join(TariffGroupPlace, TariffGroupPlace.tariff_group_id == TariffGroup.id)
            .where(
                owned_by(TariffGroup, self.organization_id),
                whole_organization(TariffGroupPlace, self.organization_id),
                or_(*where),
                or_(by_tag, by_driver, by_subscription),
            )
        )
        return [Applying(*row) for row in rows]


def any_place(organization_id: Any) -> Exists:
    """Whether the organization has placed any tariff group anywhere: a clause to fold into a
    query every session start makes anyway, so an organization without groups pays nothing.
    `organization_id` is an id or a bound parameter (for a prebuilt statement)."""
    return exists().where(whole_organization(TariffGroupPlace, organization_id))


def _place(station_id: str | None, location_id: str | None) -> Place:
    if station_id is not None:
        return Place(PlaceKind.STATION, station_id)
    if location_id is not None:
        return Place(PlaceKind.LOCATION, location_id)
    return Place(PlaceKind.ORGANIZATION)


async def owned_ids(
    session: AsyncSession, organization_id: str, model: type[Any], ids: Collection[str]
) -> set[str]:
    """Which of `ids` are rows of `model` the organization (as scoped) owns: a group's members
    and places may only be its own."""
    if not ids:
        return set()
    statement = select(model.id).where(owned_by(model, organization_id), model.id.in_(set(ids)))
    return set((await session.scalars(statement)).all())
