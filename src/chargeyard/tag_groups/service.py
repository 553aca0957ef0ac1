"""Tag group use cases: groups and their members. Never commits."""

from collections.abc import Sequence
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid, NotFound
from chargeyard.events.payloads import (
    TAG_GROUP_CREATED,
    TAG_GROUP_DELETED,
    TAG_GROUP_UPDATED,
    EventKind,
    TagGroupChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tag_groups.models import TagGroup
from chargeyard.tag_groups.repository import TagGroupRepository


class TagGroupService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.groups = TagGroupRepository(uow.session, organization_id)
        self.tags = IdTagRepository(uow.session, organization_id)

    async def create(
        self, name: str, description: str | None, members: Sequence[str] | None
    ) -> TagGroup:
        if await self.groups.by_name(name) is not None:
            raise Conflict(f"Tag group {name!r} exists already")
        group = TagGroup(
            id=new_id(),
            organization_id=self.organization_id,
            name=name,
            description=description,
            revision=1,
        )
        self.groups.add(group)
        await self.uow.session.flush()
        if members:
            await self.groups.set_members(group, [t.id for t in await self._tags(members)])
        self._event(TAG_GROUP_CREATED, group)
        return group

    async def update(self, group: TagGroup, changes: dict[str, Any]) -> TagGroup:
        members = changes.pop("id_tags", None)
        if changes.get("name") not in (None, group.name) and await self.groups.by_name(
            changes["name"]
        ):
            raise Conflict(f"Tag group {changes['name']!r} exists already")
        for name, value in changes.items():
            setattr(group, name, value)
        if members is not None:
            await self.groups.set_members(group, [t.id for t in await self._tags(members)])
        group.touch()
        self._event(TAG_GROUP_UPDATED, group)
        return group

    async def delete(self, group: TagGroup) -> None:
        await self.groups.delete(group)
        self._event(TAG_GROUP_DELETED, group)

    async def add_member(self, group: TagGroup, reference: str) -> None:
        (tag,) = await self._tags([reference])
        if await self.groups.add_member(group, tag.id):
            group.touch()
            self._event(TAG_GROUP_UPDATED, group)

    async def remove_member(self, group: TagGroup, reference: str) -> None:
        tag = await self.tags.by_reference(reference)
        if tag is None or not await self.groups.remove_member(group, tag.id):
            raise NotFound(f"ID tag {reference!r} is not in tag group {group.name!r}")
        group.touch()
        self._event(TAG_GROUP_UPDATED, group)

    async def members(self, group: TagGroup) -> list[str]:
        return (await self.groups.member_values([group.id]))[group.id]

    async def _tags(self, references: Sequence[str]) -> list[IdTag]:
        found = [(ref, await self.tags.by_reference(ref)) for ref in references]
        missing = [ref for ref, tag in found if tag is None]
        if missing:
            raise Invalid(f"id_tags: unknown ID tags {', '.join(map(repr, missing))}")
        return [tag for _, tag in found if tag is not None]

    def _event(self, kind: EventKind[TagGroupChanged], group: TagGroup) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=TagGroupChanged(tag_group_id=group.id, name=group.name),
        )
