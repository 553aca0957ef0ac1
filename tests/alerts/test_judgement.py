"""Raising and resolving in one unit of work, on the real database: a condition that clears and
comes back within one batch of events leaves one resolved alert and one open one."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from chargeyard.alerts.domain import Clear, Raise, Renew, RuleName, Subject
from chargeyard.alerts.models import Alert
from chargeyard.alerts.service import Judgement
from chargeyard.clock import utcnow
from chargeyard.storage.database import Database
from tests.conftest import Tenant

AT = datetime(2026, 1, 1, tzinfo=UTC)


async def test_a_fault_cleared_and_back_in_one_batch(tenant: Tenant) -> None:
    rule, subject = RuleName.CONNECTOR_FAULTED, Subject(tenant.unique("CP"), 1, 1)
    org = tenant.organization_id
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            await Judgement(uow, utcnow).apply(
                [
                    (org, Raise(rule, subject, AT)),
                    (org, Raise(rule, subject, AT + timedelta(seconds=1))),  # already open
                    (org, Clear(rule, subject, AT + timedelta(seconds=2))),
                    (org, Raise(rule, subject, AT + timedelta(seconds=3))),
                ]
            )
            await uow.commit()
        async with db.reading() as uow:
            statement = select(Alert).where(Alert.station_id == subject.station_id)
            found = (await uow.session.execute(statement.order_by(Alert.started_at))).scalars()
            rows = [(a.status, a.started_at, a.ended_at) for a in found]
    finally:
        await db.dispose()
    assert rows == [
        ("Resolved", AT, AT + timedelta(seconds=2)),
        ("Triggered", AT + timedelta(seconds=3), None),
    ]


async def test_a_boot_renews_the_problems_raised_before_it(tenant: Tenant) -> None:
    """In one batch: two Problems, an accepted boot, one Problem reported again and a new one
    after the boot. The boot leaves only the one not reported again waiting, as of the boot;
    a 1.6-style error on the same connector is not the boot's to renew."""
    org, station_id = tenant.organization_id, tenant.unique("CP")
    rule = RuleName.VENDOR_ERROR

    def problem(evse: int) -> Subject:
        return Subject(station_id, evse, 1, "Problem:Connector")

    booted = AT + timedelta(seconds=2)
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            await Judgement(uow, utcnow).apply(
                [
                    (org, Raise(rule, problem(1), AT)),
                    (org, Raise(rule, problem(2), AT)),
                    (org, Raise(rule, Subject(station_id, 1, 1), AT)),
                    (org, Renew(Subject(station_id), booted)),
                    (org, Raise(rule, problem(2), booted + timedelta(seconds=1))),
                    (org, Raise(rule, problem(3), booted + timedelta(seconds=1))),
                ]
            )
            await uow.commit()
        async with db.reading() as uow:
            statement = select(Alert).where(Alert.station_id == station_id)
            found = (await uow.session.execute(statement)).scalars()
            waiting = {a.open_key: a.awaiting_report_since for a in found}
    finally:
        await db.dispose()
    assert waiting == {
        problem(1).key(org, rule): booted,
        problem(2).key(org, rule): None,
        problem(3).key(org, rule): None,
        Subject(station_id, 1, 1).key(org, rule): None,
    }
