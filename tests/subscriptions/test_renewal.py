"""The renewal sweep on the server's real database, with clocks set after a period's end:
renewal books the next fee once however often and however concurrently it runs; a subscription
not renewed expires."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from chargeyard.storage.database import Database
from chargeyard.subscriptions.renewal import sweep
from tests.conftest import Tenant
from tests.drivers.test_drivers_api import new_driver
from tests.subscriptions.test_subscriptions_api import activate, changes, new_plan


@pytest.fixture
async def db(tenant: Tenant) -> AsyncIterator[Database]:
    database = Database(tenant.server.settings.database_url)
    yield database
    await database.dispose()


def at(instant: datetime) -> Callable[[], datetime]:
    return lambda: instant


def after_period(sub: dict[str, Any], periods: int = 1) -> datetime:
    end = datetime.fromisoformat(sub["period_end"])
    return end + timedelta(days=31 * (periods - 1), seconds=1)


async def ledger(tenant: Tenant, driver_id: str) -> list[tuple[str, str]]:
    items = (await tenant.api.get(f"/drivers/{driver_id}/ledger")).json()["items"]
    return [(e["kind"], e["amount"]) for e in items]


async def test_a_renewal_books_the_fee_once_however_often_the_sweep_runs(
    tenant: Tenant, db: Database
) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant)
    sub = (await activate(tenant, driver["id"], plan["id"])).json()
    clock = at(after_period(sub))
    await sweep(db, clock)
    await sweep(db, clock)  # the same round again: nothing is due any more
    await asyncio.gather(sweep(db, clock), sweep(db, clock))
    renewed = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()
    assert (renewed["status"], renewed["period_number"]) == ("active", 2)
    assert renewed["period_start"] == sub["period_end"]
    assert [p["number"] for p in renewed["periods"]] == [1, 2]
    assert await ledger(tenant, driver["id"]) == [
        ("subscription_fee", "-9.90"),
        ("subscription_fee", "-9.90"),
    ]
    assert [(c["change"], c["period_number"]) for c in await changes(tenant, sub["id"])] == [
        ("activated", 1),
        ("renewed", 2),
    ]


async def test_concurrent_sweeps_renew_once(tenant: Tenant, db: Database) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant)
    sub = (await activate(tenant, driver["id"], plan["id"])).json()
    clock = at(after_period(sub))
    others = [Database(tenant.server.settings.database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(sweep(other, clock) for other in [db, *others]))
    finally:
        for other in others:
            await other.dispose()
    assert len(await ledger(tenant, driver["id"])) == 2


async def test_a_subscription_behind_catches_up_one_period_per_round(
    tenant: Tenant, db: Database
) -> None:
    plan = await new_plan(tenant, fee="5")
    driver = await new_driver(tenant)
    sub = (await activate(tenant, driver["id"], plan["id"])).json()
    clock = at(after_period(sub, periods=3))
    for _ in range(5):
        await sweep(db, clock)
    caught_up = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()
    assert caught_up["period_number"] == 4
    assert datetime.fromisoformat(caught_up["period_end"]) > clock()
    assert [kind for kind, _ in await ledger(tenant, driver["id"])] == ["subscription_fee"] * 4


async def test_without_auto_renew_it_expires_at_the_period_end(
    tenant: Tenant, db: Database
) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant)
    sub = (await activate(tenant, driver["id"], plan["id"], auto_renew=False)).json()
    await sweep(db, at(datetime.fromisoformat(sub["period_end"]) - timedelta(seconds=1)))
    assert (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()["status"] == "active"
    await sweep(db, at(after_period(sub)))
    expired = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()
    assert (expired["status"], expired["end_reason"]) == ("expired", "not_renewed")
    assert expired["ended_at"] == sub["period_end"]
    assert len(await ledger(tenant, driver["id"])) == 1
    [*_, last] = await changes(tenant, sub["id"])
    assert (last["status"], last["change"], last["end_reason"]) == (
        "expired",
        "expired",
        "not_renewed",
    )


async def test_a_prepaid_driver_who_cannot_pay_the_fee_expires(
    tenant: Tenant, db: Database
) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant, payment_mode="prepaid")
    await tenant.api.post(
        f"/drivers/{driver['id']}/balance", json={"amount": "15.00", "currency": "EUR"}
    )
    sub = (await activate(tenant, driver["id"], plan["id"])).json()
    await sweep(db, at(after_period(sub)))  # 5.10 left: less than the fee
    expired = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()
    assert (expired["status"], expired["end_reason"]) == ("expired", "insufficient_balance")
    assert (await tenant.api.get(f"/drivers/{driver['id']}")).json()["balance"] == "5.10"


async def test_a_retired_plan_is_not_renewed(tenant: Tenant, db: Database) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant)
    sub = (await activate(tenant, driver["id"], plan["id"])).json()
    await tenant.api.patch(f"/subscription-plans/{plan['id']}", json={"status": "retired"})
    await sweep(db, at(after_period(sub)))
    expired = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()
    assert (expired["status"], expired["end_reason"]) == ("expired", "plan_retired")
