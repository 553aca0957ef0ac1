"""`IdTagRepository.presented`: one statement over the tables' columns (no ORM compile state or
result loading per authorization), which still sees the unit's own unflushed changes: the
session autoflushes before Core statements too."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import _PRESENTED, _PRESENTED_IN_USE, IdTagRepository
from chargeyard.organizations.models import Organization
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        database = Database(url)
        yield database
        await database.dispose()


def test_the_statements_name_no_mapped_attribute() -> None:
    for statement in (_PRESENTED, _PRESENTED_IN_USE):
        assert statement._propagate_attrs.get("compile_state_plugin") != "orm"


async def test_a_unit_sees_its_own_unflushed_tag_and_change(db: Database) -> None:
    async with db.writing() as uow:
        organization = Organization(name="presented", revision=1)
        uow.session.add(organization)
        await uow.session.flush()
        tags = IdTagRepository(uow.session, organization.id)
        uow.session.add(
            IdTag(organization_id=organization.id, value="Tag-1", value_key="tag-1", revision=1)
        )
        found = await tags.presented("TAG-1")  # pending, never flushed by the caller
        assert found is not None and found.tag.status == "Accepted"
        tag = await uow.session.scalar(select(IdTag).where(IdTag.value_key == "tag-1"))
        assert tag is not None
        tag.status = "Blocked"  # dirty, not flushed
        found = await tags.presented("tag-1")
        assert found is not None and found.tag.status == "Blocked"
        assert found.in_use is False
        assert await tags.presented("nobody") is None
        await uow.commit()
