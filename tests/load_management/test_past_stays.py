"""`SiteRepository.past_stays`, what a session's departure is learnt from: a driver's latest
stays at the site's stations, answered through the driver's own index (migration 0030) rather
than by walking the site's history by end time, whatever that history holds."""

from datetime import timedelta
from pathlib import Path

from chargeyard.load_management.repository import SiteRepository
from chargeyard.storage.database import Database
from tests.support.query_plans import query_plans, selects_from
from tests.transactions.test_repository import T0, db, new, organization

__all__ = ["db"]  # the fixture, shared with the start path's tests


async def test_a_drivers_stays_come_latest_first_from_the_sites_stations(db: Database) -> None:
    organization_id = await organization(db, stations=3)
    async with db.writing() as uow:
        for day in range(5):
            begin = T0 - timedelta(days=day + 1)
            for station, tag in (("RS0", "TAG1"), ("RS1", "tag1"), ("RS2", "TAG1")):
                uow.session.add(
                    new(
                        organization_id,
                        station,
                        begin,
                        id_tag=tag,
                        stopped_at=begin + timedelta(hours=2),
                        ocpp_transaction_id=f"{station}-{day}",
                    )
                )
        uow.session.add(new(organization_id, "RS0", T0, id_tag="TAG1"))  # still open
        await uow.commit()
    async with db.reading() as uow:
        site = SiteRepository(uow.session, organization_id)
        stays = await site.past_stays(["RS0", "RS1"], "Tag1", T0, 3)
        assert stays == [
            (T0 - timedelta(days=1), T0 - timedelta(days=1) + timedelta(hours=2)),
        ] * 2 + [(T0 - timedelta(days=2), T0 - timedelta(days=2) + timedelta(hours=2))]
        assert len(await site.past_stays(["RS0", "RS1"], None, T0, 100)) == 10
        assert await site.past_stays(["RS0"], "TAG1", T0 - timedelta(days=5), 10) == []
        assert await SiteRepository(uow.session, "other").past_stays(["RS0"], "TAG1", T0, 5) == []


async def test_a_drivers_stays_are_read_through_their_index(db: Database, tmp_path: Path) -> None:
    organization_id = await organization(db)
    with selects_from(db.read_engine, "transactions") as run:
        async with db.reading() as uow:
            site = SiteRepository(uow.session, organization_id)
            await site.past_stays(["RS0", "RS1"], "tag1", T0, 20)
    assert len(run) == 1
    plan = query_plans(tmp_path / "repository.db", run)
    assert any(
        "ix_transactions_tag_stays (<expr>=? AND organization_id=? AND stopped_at" in step
        for step in plan
    ), plan
