"""Every report kind in both formats over real REST, from what a real 1.6 station on loopback
reported: the XLSX holds the CSV's columns and values, and neutralises formulas the same way."""

import asyncio
from datetime import UTC, datetime

from tests.commands.conftest import Online, start_transaction
from tests.commands.station import ScriptedStation
from tests.conftest import Tenant
from tests.reports.support import DEADLINE_S, parse_csv, parse_xlsx

TAGS = ["TAG-A", "=1+2", "@SUM"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def charge(station: ScriptedStation, tag: str) -> int:
    transaction_id = await start_transaction(station, tag)
    for minute, wh in ((15, 2000), (30, 3500)):
        await station.ok(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": transaction_id,
                "meterValue": [
                    {
                        "timestamp": f"2026-01-01T10:{minute}:00Z",
                        "sampledValue": [
                            {"value": str(wh), "measurand": "Energy.Active.Import.Register"}
                        ],
                    }
                ],
            },
        )
    await station.ok(
        "StopTransaction",
        {"transactionId": transaction_id, "meterStop": 5000, "timestamp": "2026-01-01T11:00:00Z"},
    )
    return transaction_id


async def both(tenant: Tenant, kind: str, **params: object) -> tuple[list[dict[str, str]], bytes]:
    as_csv = await tenant.api.get(f"/reports/{kind}.csv", params=params)
    assert as_csv.status_code == 200, as_csv.text
    as_xlsx = await tenant.api.get(f"/reports/{kind}.xlsx", params=params)
    assert as_xlsx.status_code == 200, as_xlsx.text
    assert as_xlsx.headers["content-type"] == XLSX
    assert f'filename="{kind}.xlsx"' in as_xlsx.headers["content-disposition"]
    return parse_csv(as_csv.text), as_xlsx.content


async def test_transactions_as_xlsx_match_the_csv(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        ids = [await charge(station, tag) for tag in TAGS]

    rows, content = await both(tenant, "transactions", station_id=station_id)
    header, cells = parse_xlsx(content)
    assert header == list(rows[0])
    assert [int(row[0]) for row in cells] == ids == [int(row["id"]) for row in rows]
    tag = header.index("id_tag")
    assert [row[tag] for row in cells] == ["TAG-A", "'=1+2", "'@SUM"]
    assert [row["id_tag"] for row in rows] == ["TAG-A", "'=1+2", "'@SUM"]
    started = header.index("started_at")
    assert cells[0][started] == datetime(2026, 1, 1, 10, 0)  # a date cell, in UTC
    assert cells[0][header.index("energy_wh")] == 4000

    filtered = await tenant.api.get(
        "/reports/transactions.xlsx", params={"station_id": station_id, "id_tag": "TAG-A"}
    )
    assert len(parse_xlsx(filtered.content)[1]) == 1


async def test_meter_values_messages_uptime_and_cdrs(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        transaction_id = await charge(station, "TAG-M")

    samples, content = await both(
        tenant, "meter-values", station_id=station_id, transaction_id=transaction_id
    )
    assert [(r["timestamp"], r["value"]) for r in samples] == [
        ("2026-01-01T10:15:00Z", "2000"),
        ("2026-01-01T10:30:00Z", "3500"),
    ]
    header, cells = parse_xlsx(content)
    assert header[: len(samples[0])] == list(samples[0])
    assert [row[header.index("value")] for row in cells] == ["2000", "3500"]

    # The message log is written a fraction of a second after the frames pass.
    loop = asyncio.get_running_loop()
    until = loop.time() + DEADLINE_S
    while True:
        messages, content = await both(
            tenant, "ocpp-messages", station_id=station_id, action="StopTransaction"
        )
        if messages:
            break
        assert loop.time() < until, messages
        await asyncio.sleep(0.1)
    assert [(m["direction"], m["message_type"]) for m in messages] == [("in", "2")]
    assert str(transaction_id) in messages[0]["frame"]
    header, cells = parse_xlsx(content)
    assert [row[header.index("frame")] for row in cells] == [messages[0]["frame"]]

    uptime, content = await both(
        tenant,
        "uptime",
        station_id=station_id,
        start=datetime(2026, 1, 1, tzinfo=UTC).isoformat(),
        end=datetime.now(UTC).isoformat(),
    )
    assert [r["station_id"] for r in uptime] == [station_id]
    assert 0 <= float(uptime[0]["connectivity"]) <= 1
    header, cells = parse_xlsx(content)
    assert cells[0][0] == station_id and header == list(uptime[0])

    cdrs, content = await both(tenant, "cdrs", station_id=station_id)
    listed = (await tenant.api.get("/cdrs", params={"station_id": station_id})).json()
    assert len(cdrs) == len(parse_xlsx(content)[1]) == listed["total"]


async def test_reports_are_scoped_and_checked(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        await charge(station, "TAG-S")
    theirs = await other_tenant.api.get(
        "/reports/meter-values.xlsx", params={"station_id": station_id}
    )
    assert theirs.status_code == 200
    assert parse_xlsx(theirs.content)[1] == []
    unknown = await tenant.api.get("/reports/transactions.pdf")
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    bad = await tenant.api.get("/reports/meter-values.csv", params={"transaction_id": "x"})
    assert bad.status_code == 422
    anonymous = await tenant.api.get("/reports/uptime.xlsx", headers={"Authorization": ""})
    assert anonymous.status_code == 401
