"""Tariff group use cases: groups, their members and places. Never commits.

Which group prices a session is decided where a session's tariff is chosen
(`tariffs/service.py: TariffService.pricing`), with the rule of `domain.py: group_tariff`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chargeyard.clock import Clock
from chargeyard.drivers.models import Driver
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    TARIFF_GROUP_CREATED,
    TARIFF_GROUP_DELETED,
    TARIFF_GROUP_UPDATED,
    EventKind,
    TariffGroupChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.locations.models import Location
from chargeyard.stations.models import Station
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariff_groups.domain import Place, PlaceKind, check_places
from chargeyard.tariff_groups.models import TariffGroup
from chargeyard.tariff_groups.repository import TariffGroupRepository, owned_ids
from chargeyard.tariffs.service import TariffService


@dataclass(frozen=True)
class GroupDraft:
    name: str
    tariff_id: str
    description: str | None = None
    id_tags: Sequence[str] = ()
    driver_ids: Sequence[str] = ()
    places: Sequence[Place] = ()


@dataclass(frozen=True)
class GroupView:
    group: TariffGroup
    id_tags: list[str]
    driver_ids: list[str]
    places: list[Place]


class TariffGroupService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.groups = TariffGroupRepository(uow.session, organization_id)
        self.tags = IdTagRepository(uow.session, organization_id)

    async def create(self, draft: GroupDraft) -> TariffGroup:
        if await self.groups.by_name(draft.name) is not None:
            raise Conflict(f"Tariff group {draft.name!r} exists already")
        await self._check_tariff(draft.tariff_id)
        group = TariffGroup(
            id=new_id(),
            organization_id=self.organization_id,
            name=draft.name,
            description=draft.description,
            tariff_id=draft.tariff_id,
            revision=1,
        )
        self.groups.add(group)
        await self.uow.session.flush()
        await self._set_members(group, {"id_tags": draft.id_tags, "driver_ids": draft.driver_ids})
        await self._set_places(group, draft.places)
        self._event(TARIFF_GROUP_CREATED, group)
        return group

    async def update(self, group: TariffGroup, changes: dict[str, Any]) -> TariffGroup:
        """Lists sent (`id_tags`, `driver_ids`, `places`) replace the group's."""
        if changes.get("name") not in (None, group.name) and await self.groups.by_name(
            changes["name"]
        ):
            raise Conflict(f"Tariff group {changes['name']!r} exists already")
        if "tariff_id" in changes:
            await self._check_tariff(changes["tariff_id"])
        await self._set_members(group, changes)
        if changes.get("places") is not None:
            await self._set_places(group, changes["places"])
        for name in ("name", "description", "tariff_id"):
            if name in changes:
                setattr(group, name, changes[name])
        group.touch()
        self._event(TARIFF_GROUP_UPDATED, group)
        return group

    async def delete(self, group: TariffGroup) -> None:
        if await self.groups.named_by_plans(group.id):
            raise Conflict(
                "a subscription plan prices its subscribers by this group; retire the plan "
                "and keep the group, or make a plan without it"
            )
        await self.groups.delete(group)
        self._event(TARIFF_GROUP_DELETED, group)

    async def views(self, groups: Sequence[TariffGroup]) -> list[GroupView]:
        ids = [g.id for g in groups]
        tags = await self.groups.tag_values(ids)
        drivers = await self.groups.driver_ids(ids)
        places = await self.groups.places(ids)
        return [GroupView(g, tags[g.id], drivers[g.id], places[g.id]) for g in groups]

    async def _check_tariff(self, tariff_id: str) -> None:
        await TariffService(self.uow, self.organization_id, self.clock).check_assignable(tariff_id)

    async def _set_members(self, group: TariffGroup, changes: dict[str, Any]) -> None:
        references = changes.get("id_tags")
        if references is not None:
            found = await self.tags.by_values(list(references))
            by_id = [r for r in references if r not in found]
            for reference in by_id:
                tag = await self.tags.by_reference(reference)
                if tag is None:
                    raise Invalid(f"id_tags: unknown ID tag {reference!r}")
                found[reference] = tag
            await self.groups.set_tags(group, [tag.id for tag in found.values()])
        driver_ids = changes.get("driver_ids")
        if driver_ids is not None:
            await self._check_owned(Driver, driver_ids, "driver_ids", "driver")
            await self.groups.set_drivers(group, driver_ids)

    async def _set_places(self, group: TariffGroup, places: Sequence[Place]) -> None:
        checked = check_places(places)
        stations = [p.id for p in checked if p.kind is PlaceKind.STATION and p.id]
        locations = [p.id for p in checked if p.kind is PlaceKind.LOCATION and p.id]
        await self._check_owned(Station, stations, "places", "station")
        await self._check_owned(Location, locations, "places", "location")
        await self.groups.set_places(group, checked)

    async def _check_owned(
        self,
        model: type[Driver] | type[Station] | type[Location],
        ids: Sequence[str],
        field: str,
        noun: str,
    ) -> None:
        """Members and places may only be the organization's own."""
        owned = await owned_ids(self.uow.session, self.organization_id, model, ids)
        for id in sorted(set(ids) - owned):
            raise Invalid(f"{field}: unknown {noun} {id!r}")

    def _event(self, kind: EventKind[TariffGroupChanged], group: TariffGroup) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=TariffGroupChanged(
                {"tariff_group_id": group.id, "name": group.name, "tariff_id": group.tariff_id}
            ),
        )
