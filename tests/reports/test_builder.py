"""The builder on a real database of its own, with a real lease keeper: a build that finds its
lease lost stops between pages, and the next holder of the lease (here the same worker) hands
the report back to the queue and builds it."""

from pathlib import Path

from chargeyard.clock import utcnow
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.organizations.service import ensure_organization
from chargeyard.reports.builder import LEASE, ReportBuilder
from chargeyard.reports.models import ReportRequest
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database


async def status_of(db: Database, request_id: str) -> tuple[str, int]:
    async with db.reading() as uow:
        row = await uow.session.get(ReportRequest, request_id)
        assert row is not None
        return row.status, row.attempts


async def test_a_build_that_lost_its_lease_is_built_again(tmp_path: Path) -> None:
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        db = Database(url)
        keeper = LeaseKeeper(db, "worker-1", 12.0)
        try:
            builder = ReportBuilder(db, utcnow, keeper, 0.05)
            assert await builder.round() == 0  # takes the lease; nothing queued yet
            async with db.writing() as uow:
                org = await ensure_organization(uow.session, "builder")
                uow.session.add(
                    ReportRequest(
                        id="r1",
                        organization_id=org.id,
                        kind="alerts",
                        format="xlsx",
                        filters={},
                        status="queued",
                        attempts=0,
                    )
                )
                await uow.commit()

            await keeper.release(LEASE)  # lost, as a worker that could not renew loses it
            assert await builder.build_next() is False  # stopped before its first page
            assert await status_of(db, "r1") == ("running", 1)

            assert await builder.round() == 1  # took the lease again: requeued, then built
            assert await status_of(db, "r1") == ("ready", 2)
        finally:
            await keeper.stop()
            await db.dispose()
