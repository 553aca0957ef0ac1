"""Permission use cases: granting access, and deciding whether a tag may charge at a station.
Never commits.

`IdTagService.authorize` asks `denial()` for every tag a station presents, so 1.6 Authorize and
StartTransaction and 2.0.1 Authorize and TransactionEvent all follow the same rule; the local
authorization list sent to a station is `permitted()` at that station.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from chargeyard.clock import Clock
from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    PERMISSION_CREATED,
    PERMISSION_DELETED,
    PERMISSION_UPDATED,
    EventKind,
    PermissionChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.locations.repository import LocationRepository
from chargeyard.organizations.repository import organization_by_id
from chargeyard.permissions.domain import Denial, Grant, Place, denial
from chargeyard.permissions.models import Permission
from chargeyard.permissions.repository import PermissionRepository
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tag_groups.repository import TagGroupRepository


@dataclass(frozen=True)
class PermissionDraft:
    id_tag: str | None = None
    tag_group_id: str | None = None
    location_id: str | None = None
    station_id: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    daily_from: time | None = None
    daily_until: time | None = None
    description: str | None = None


def _grant(permission: Permission) -> Grant:
    return Grant(
        location_id=permission.location_id,
        station_id=permission.station_id,
        valid_from=permission.valid_from,
        valid_until=permission.valid_until,
        daily_from=permission.daily_from,
        daily_until=permission.daily_until,
    )


def _check_shape(fields: dict[str, Any]) -> None:
    if (fields.get("id_tag_id") is None) == (fields.get("tag_group_id") is None):
        raise Invalid("a permission names exactly one of id_tag and tag_group_id")
    if (fields.get("location_id") is None) == (fields.get("station_id") is None):
        raise Invalid("a permission names exactly one of location_id and station_id")
    if (fields.get("daily_from") is None) != (fields.get("daily_until") is None):
        raise Invalid("a daily window needs both daily_from and daily_until")
    start, end = fields.get("valid_from"), fields.get("valid_until")
    if start is not None and end is not None and start >= end:
        raise Invalid("valid_from must be before valid_until")


class PermissionService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.permissions = PermissionRepository(uow.session, organization_id)
        self.groups = TagGroupRepository(uow.session, organization_id)
        self.tags = IdTagRepository(uow.session, organization_id)
        self.locations = LocationRepository(uow.session, organization_id)

    async def create(self, draft: PermissionDraft) -> Permission:
        fields = {
            "id_tag_id": await self._tag_id(draft.id_tag),
            "tag_group_id": draft.tag_group_id,
            "location_id": draft.location_id,
            "station_id": draft.station_id,
            "valid_from": draft.valid_from,
            "valid_until": draft.valid_until,
            "daily_from": draft.daily_from,
            "daily_until": draft.daily_until,
            "description": draft.description,
        }
        _check_shape(fields)
        await self._check_references(fields)
        permission = Permission(
            id=new_id(), organization_id=self.organization_id, revision=1, **fields
        )
        self.permissions.add(permission)
        self._event(PERMISSION_CREATED, permission)
        return permission

    async def update(self, permission: Permission, changes: dict[str, Any]) -> Permission:
        if "id_tag" in changes:
            changes["id_tag_id"] = await self._tag_id(changes.pop("id_tag"))
        merged = {
            name: changes.get(name, getattr(permission, name))
            for name in (
                "id_tag_id",
                "tag_group_id",
                "location_id",
                "station_id",
                "valid_from",
                "valid_until",
                "daily_from",
                "daily_until",
            )
        }
        _check_shape(merged)
        await self._check_references(changes)
        for name, value in changes.items():
            setattr(permission, name, value)
        permission.touch()
        self._event(PERMISSION_UPDATED, permission)
        return permission

    async def delete(self, permission: Permission) -> None:
        await self.permissions.delete(permission)
        self._event(PERMISSION_DELETED, permission)

    async def tag_value(self, permission: Permission) -> str | None:
        if permission.id_tag_id is None:
            return None
        tag = await self.tags.find(permission.id_tag_id)
        return None if tag is None else tag.value

    async def denial(
        self,
        tag_id: str,
        station_id: str,
        *,
        held: bool | None = None,
        required: bool | None = None,
    ) -> Denial | None:
        """Why tag `tag_id` may not charge at the station now, or None if it may. `held`
        (whether any permission names the tag) and `required` (the organization's setting), when the caller
        read them already, spare their lookups."""
        grants = (
            [] if held is False else [_grant(p) for p in await self.permissions.held_by(tag_id)]
        )
        if required is None:
            required = await self._required()
        if not grants and not required:
            return None  # the open default: where the tag is presented does not matter
        place = await self._place(station_id)
        if place is None:
            return None
        return denial(grants, place, self.clock(), required=required)

    async def permitted(self, tags: Sequence[IdTag], station_id: str) -> list[IdTag]:
        """The tags, of those given, that may charge at the station now: a local
        authorization list holds exactly these."""
        place = await self._place(station_id)
        if place is None:
            return list(tags)
        groups_of: dict[str, list[str]] = defaultdict(list)
        for tag_id, group_id in await self.groups.memberships():
            groups_of[tag_id].append(group_id)
        by_tag: dict[str, list[Grant]] = defaultdict(list)
        by_group: dict[str, list[Grant]] = defaultdict(list)
        for permission in await self.permissions.everything():
            if permission.id_tag_id is not None:
                by_tag[permission.id_tag_id].append(_grant(permission))
            elif permission.tag_group_id is not None:
                by_group[permission.tag_group_id].append(_grant(permission))
        now, required = self.clock(), await self._required()

        def grants(tag: IdTag) -> Iterable[Grant]:
            yield from by_tag[tag.id]
            for group_id in groups_of[tag.id]:
                yield from by_group[group_id]

        return [tag for tag in tags if denial(grants(tag), place, now, required=required) is None]

    async def _place(self, station_id: str) -> Place | None:
        """None for a station where permissions do not apply (`allow_all_tags`)."""
        found = await self.permissions.station_place(station_id)
        if found is None:
            return Place(station_id, frozenset(), self.clock().time())
        location_id, allow_all, timezone = found
        if allow_all:
            return None
        lineage = (
            frozenset(await self.locations.lineage(location_id)) if location_id else frozenset()
        )
        local = self.clock().astimezone(ZoneInfo(timezone)).time()
        return Place(station_id, lineage, local)

    async def _required(self) -> bool:
        organization = await organization_by_id(self.uow.session, self.organization_id)
        return bool(organization is not None and organization.permissions_required)

    async def _tag_id(self, reference: str | None) -> str | None:
        if reference is None:
            return None
        tag = await self.tags.by_reference(reference)
        if tag is None:
            raise Invalid(f"id_tag: ID tag {reference!r} does not exist")
        return tag.id

    async def _check_references(self, fields: dict[str, Any]) -> None:
        """Every id a permission names belongs to the caller's organization."""
        stations = StationRepository(self.uow.session, self.organization_id)
        lookups = (
            ("tag_group_id", "Tag group", self.groups.find),
            ("location_id", "Location", self.locations.find),
            ("station_id", "Station", stations.find),
        )
        for name, noun, find in lookups:
            value = fields.get(name)
            if value is not None and await find(value) is None:
                raise Invalid(f"{name}: {noun} {value!r} does not exist")

    def _event(self, kind: EventKind[PermissionChanged], permission: Permission) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=PermissionChanged(
                {
                    "permission_id": permission.id,
                    "id_tag_id": permission.id_tag_id,
                    "tag_group_id": permission.tag_group_id,
                    "location_id": permission.location_id,
                    "station_id": permission.station_id,
                }
            ),
        )
