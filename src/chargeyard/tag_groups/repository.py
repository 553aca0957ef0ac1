"""All SQL about tag groups and their members."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, select

from chargeyard.id_tags.models import IdTag
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching, owned_by
from chargeyard.tag_groups.models import TagGroup, TagGroupMember


class TagGroupRepository(ScopedRepository[TagGroup]):
    model = TagGroup
    noun = "Tag group"

    async def by_name(self, name: str) -> TagGroup | None:
        result = await self.session.execute(self.query().where(TagGroup.name == name))
        return result.scalars().first()

    async def search(
        self, page: Page, *, name: str | None = None, updated_since: datetime | None = None
    ) -> PageResult[TagGroup]:
        statement = matching(self.query(), (TagGroup.name, name))
        return await self.page(
            statement, page, order_by=[TagGroup.name], updated_since=updated_since
        )

    async def member_values(self, group_ids: Collection[str]) -> dict[str, list[str]]:
        """Each group's members as tag values, sorted."""
        found: dict[str, list[str]] = {group_id: [] for group_id in group_ids}
        if not group_ids:
            return found
        rows = await self.session.execute(
            select(TagGroupMember.tag_group_id, IdTag.value)
            .join(IdTag, IdTag.id == TagGroupMember.id_tag_id)
            .where(
                owned_by(IdTag, self.organization_id),
                TagGroupMember.tag_group_id.in_(list(group_ids)),
            )
            .order_by(IdTag.value)
        )
        for group_id, value in rows:
            found[group_id].append(value)
        return found

    async def memberships(self) -> Sequence[tuple[str, str]]:
        """Every (tag id, group id) pair of this organization."""
        rows = await self.session.execute(
            select(TagGroupMember.id_tag_id, TagGroupMember.tag_group_id)
            .join(TagGroup, TagGroup.id == TagGroupMember.tag_group_id)
            .where(owned_by(TagGroup, self.organization_id))
        )
        return [(tag_id, group_id) for tag_id, group_id in rows]

    async def set_members(self, group: TagGroup, tag_ids: Collection[str]) -> None:
        await self.session.execute(
            delete(TagGroupMember).where(TagGroupMember.tag_group_id == group.id)
        )
        for tag_id in sorted(set(tag_ids)):
            self.session.add(TagGroupMember(tag_group_id=group.id, id_tag_id=tag_id))

    async def add_member(self, group: TagGroup, tag_id: str) -> bool:
        """Add a tag to the group; False if it was a member already."""
        existing = await self.session.get(TagGroupMember, (group.id, tag_id))
        if existing is not None:
            return False
        self.session.add(TagGroupMember(tag_group_id=group.id, id_tag_id=tag_id))
        return True

    async def remove_member(self, group: TagGroup, tag_id: str) -> bool:
        existing = await self.session.get(TagGroupMember, (group.id, tag_id))
        if existing is None:
            return False
        await self.session.delete(existing)
        return True
