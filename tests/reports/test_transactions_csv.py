"""GET /api/v1/reports/transactions.csv over real REST, from transactions a real 1.6 station on
loopback started and stopped."""

import csv
import io

from chargeyard.reports.service import stream, transactions
from chargeyard.storage.database import Database
from chargeyard.transactions.repository import TransactionFilter
from tests.commands.conftest import Online, start_transaction
from tests.commands.station import ScriptedStation
from tests.conftest import Tenant

TAGS = ["TAG-A", "=1+2", "@SUM", "TAG-D", "TAG-E"]


async def charge(station: ScriptedStation, tag: str) -> int:
    transaction_id = await start_transaction(station, tag)
    await station.ok(
        "StopTransaction",
        {"transactionId": transaction_id, "meterStop": 5000, "timestamp": "2026-01-01T11:00:00Z"},
    )
    return transaction_id


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_report_lists_the_filtered_transactions_with_their_tags(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        ids = [await charge(station, tag) for tag in TAGS]
    async with online() as (_other_station, station):
        await charge(station, "ELSEWHERE")

    response = await tenant.api.get("/reports/transactions.csv", params={"station_id": station_id})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = parse(response.text)
    assert [int(row["id"]) for row in rows] == ids
    assert [row["id_tag"] for row in rows] == ["TAG-A", "'=1+2", "'@SUM", "TAG-D", "TAG-E"]
    assert rows[0]["energy_wh"] == "4000"
    assert rows[0]["station_id"] == station_id

    everything = parse((await tenant.api.get("/reports/transactions.csv")).text)
    assert len(everything) == len(TAGS) + 1
    by_tag = parse(
        (await tenant.api.get("/reports/transactions.csv", params={"id_tag": "TAG-D"})).text
    )
    assert [row["id_tag"] for row in by_tag] == ["TAG-D"]


async def test_an_empty_report_has_its_header(tenant: Tenant, other_tenant: Tenant) -> None:
    response = await other_tenant.api.get("/reports/transactions.csv")
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.text)))
    assert "id_tag" in header and parse(response.text) == []
    assert (
        await tenant.api.get("/reports/transactions.csv", headers={"Authorization": ""})
    ).status_code == 401


async def test_pages_follow_each_other_by_key(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        ids = [await charge(station, tag) for tag in TAGS]
    db = Database(tenant.server.settings.database_url)
    try:
        chunks = [
            chunk
            async for chunk in stream(
                db, transactions(tenant.organization_id, TransactionFilter(station_id)), page=2
            )
        ]
    finally:
        await db.dispose()
    assert len(chunks) == 1 + 3  # the header, then pages of 2, 2 and 1
    assert [int(row["id"]) for row in parse("".join(chunks))] == ids
