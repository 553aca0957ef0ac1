"""A retention pass over a real database filled through a real OCPP session.

The pass runs against a server of its own (a fresh database), since it deletes by age across
every organization and the suite's shared database holds other tests' old sessions.
"""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from chargeyard.events.models import Event
from chargeyard.message_log.models import LoggedMessage
from chargeyard.retention.domain import RetentionPolicy, RetentionReport
from chargeyard.retention.models import MeterValueRollup
from chargeyard.retention.service import run_pass
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.transactions.models import MeterValue
from chargeyard.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.conftest import Tenant, make_tenant
from tests.protocol.conftest import BOOT, eventually
from tests.support.databases import fresh_database
from tests.support.ocpp_client import PASSWORD, RawStation, raw_station
from tests.support.server import RunningServer, free_port, in_process_server

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - timedelta(days=200)  # past every retention period below
POLICY = RetentionPolicy(
    message_log_days=30,
    meter_values_days=90,
    events_days=30,
    webhook_deliveries_days=30,
    batch_size=3,  # small, so every purge and the rollup run over several batches
)


@pytest.fixture(scope="module")
async def own_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningServer]:
    async with fresh_database(tmp_path_factory.mktemp("retention")) as url:
        settings = Settings(
            database_url=url,
            port=free_port(),
            node_id="retention-test",
            message_log_flush_s=0.05,
            webhooks_allow_private_targets=True,
            events_poll_s=0.05,
        )
        async with in_process_server(settings) as running:
            yield running


@pytest.fixture
async def own_tenant(own_server: RunningServer) -> AsyncIterator[Tenant]:
    async for made in make_tenant(own_server):
        yield made


def at(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def energy(moment: datetime, wh: int) -> dict[str, Any]:
    return {
        "timestamp": at(moment),
        "sampledValue": [
            {"value": str(wh), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
            {"value": "7000", "measurand": "Power.Active.Import", "unit": "W"},
        ],
    }


async def session(
    station: RawStation, connector: int, start: datetime, readings: int, stop: bool
) -> int:
    started = await station.ok(
        "StartTransaction",
        {"connectorId": connector, "idTag": "TAG1", "meterStart": 0, "timestamp": at(start)},
    )
    tx_id = int(started["transactionId"])
    for n in range(1, readings + 1):  # one reading every 20 minutes
        await station.ok(
            "MeterValues",
            {
                "connectorId": connector,
                "transactionId": tx_id,
                "meterValue": [energy(start + timedelta(minutes=20 * n), 1000 * n)],
            },
        )
    if stop:
        await station.ok(
            "StopTransaction",
            {
                "transactionId": tx_id,
                "meterStop": 1000 * readings,
                "timestamp": at(start + timedelta(minutes=20 * readings + 1)),
            },
        )
    return tx_id


async def scalar(db: Database, statement: Any) -> Any:
    async with db.reading() as uow:
        return await uow.session.scalar(statement)


async def test_a_pass_deletes_what_is_past_retention_and_rolls_meter_values_up(
    own_tenant: Tenant, own_server: RunningServer
) -> None:
    api = own_tenant.api
    station_id = own_tenant.unique("CP")
    assert (await api.post("/stations", json={"id": station_id, "password": PASSWORD})).is_success
    assert (await api.post("/id-tags", json={"value": "TAG1", "status": "Accepted"})).is_success
    hook = await api.post("/webhooks", json={"url": "http://127.0.0.1:9/h", "events": ["x.y"]})
    assert hook.status_code == 201, hook.text
    async with raw_station(own_server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
        closed = await session(station, 1, OLD, readings=6, stop=True)  # 2 hours, 12 samples
        still_open = await session(station, 2, OLD, readings=2, stop=False)
        recent = await session(station, 1, NOW - timedelta(days=1), readings=2, stop=True)

    db = Database(own_server.settings.database_url)
    try:
        # The readers must be done with the old events: sequenced and fanned out.
        async def fanned_out() -> bool:
            pending = select(func.count()).where(Event.fanned_out.is_(False))
            return int(await scalar(db, pending)) == 0

        await eventually(fanned_out, timeout_s=20)
        async with db.writing() as uow:
            oldest = await uow.session.scalar(select(Event).order_by(Event.seq).limit(1))
            assert oldest is not None
            owed_seq = oldest.seq
            uow.session.add_all(
                [
                    LoggedMessage(station_id=station_id, direction="in", frame="[]", logged_at=OLD),
                    LoggedMessage(station_id=station_id, direction="in", frame="[]", logged_at=OLD),
                    # a delivery still owed keeps its (old) event; a finished one goes
                    _delivery(hook.json()["id"], oldest, "pending", None),
                    _delivery(hook.json()["id"], oldest, "delivered", OLD),
                    _attempt(hook.json()["id"], oldest, OLD),
                ]
            )
            await uow.commit()

        counted = await run_pass(db, POLICY, NOW, dry_run=True)
        report = await run_pass(db, POLICY, NOW)
        assert replace(report, rollups_written=0) == counted
        assert report.message_log >= 2
        assert report.meter_values == 12  # the closed session's; not the open one's, not recent
        assert report.webhook_deliveries == 1 and report.webhook_attempts == 1
        assert report.events > 0

        async def raw(tx: int) -> int:
            return int(
                await scalar(db, select(func.count()).where(MeterValue.transaction_id == tx))
            )

        assert (await raw(closed), await raw(still_open), await raw(recent)) == (0, 4, 4)
        async with db.reading() as uow:
            rollups = list(
                await uow.session.scalars(
                    select(MeterValueRollup)
                    .where(
                        MeterValueRollup.transaction_id == closed,
                        MeterValueRollup.measurand == "Energy.Active.Import.Register",
                    )
                    .order_by(MeterValueRollup.hour)
                )
            )
            pending_left = await uow.session.scalar(
                select(func.count()).where(WebhookDelivery.status == "pending")
            )
            owed_kept = await uow.session.scalar(select(func.count()).where(Event.seq == owed_seq))
            newest_kept = await uow.session.scalar(select(func.max(Event.position)))
        # 6 readings 20 minutes apart from OLD: the hours split them by the minute of OLD
        assert sum(r.count for r in rollups) == 6
        assert rollups[0].first_value == 1000 and rollups[-1].last_value == 6000
        assert all(
            r.unit == "Wh" and r.organization_id == own_tenant.organization_id for r in rollups
        )
        assert (pending_left, owed_kept) == (1, 1) and newest_kept is not None

        # A second pass has nothing left to do: retention is idempotent.
        assert await run_pass(db, POLICY, NOW) == RetentionReport()
    finally:
        await db.dispose()

    hourly = await api.get(
        "/meter-values/hourly",
        params={"transaction_id": closed, "measurand": "Power.Active.Import"},
    )
    assert hourly.status_code == 200, hourly.text
    items = hourly.json()["items"]
    assert sum(i["count"] for i in items) == 6
    assert all(i["average"] == 7000 and i["phase"] is None for i in items)
    async for other in make_tenant(own_server):  # scoped like every other resource
        listing = (await other.api.get("/meter-values/hourly")).json()
        assert (listing["items"], listing["total"]) == ([], 0)


def _delivery(subscription: str, event: Event, status: str, done: datetime | None) -> Any:
    return WebhookDelivery(
        subscription_id=subscription,
        event_seq=event.seq,
        event_id=event.id,
        lane="lane",
        status=status,
        completed_at=done,
    )


def _attempt(subscription: str, event: Event, moment: datetime) -> Any:
    return WebhookAttempt(
        subscription_id=subscription,
        event_id=event.id,
        event_type=event.type,
        attempt=1,
        attempted_at=moment,
        request_url="http://127.0.0.1:9/h",
        request_headers={},
        request_body="{}",
        latency_ms=1.0,
        success=True,
    )


async def test_nothing_is_deleted_when_every_period_is_for_ever(own_server: RunningServer) -> None:
    db = Database(own_server.settings.database_url)
    try:
        forever = RetentionPolicy(None, None, None, None, 10)
        assert await run_pass(db, forever, NOW + timedelta(days=10_000)) == RetentionReport()
    finally:
        await db.dispose()
