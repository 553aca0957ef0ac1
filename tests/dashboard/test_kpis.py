"""The KPI page: the organization's, a location's or a station's uptime, connectivity and
utilisation over a period, and its sessions per interval, as `/api/v1/kpis` measures them, for
every role; the REST API's rules (422) and another organization's station (404)."""

import re

from tests.commands.conftest import Online, online, start_transaction
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user
from tests.dashboard.test_pages import report

__all__ = ["online"]

JANUARY = {"start": "2026-01-01T00:00", "end": "2026-01-03T00:00", "interval": "day"}


async def test_a_viewer_reads_the_kpis_of_the_network_and_of_a_station(
    tenant: Tenant, online: Online, other_tenant: Tenant
) -> None:
    assert (await tenant.api.post("/id-tags", json={"value": "KPI-TAG"})).status_code == 201
    viewer = await make_user(tenant, "viewer")
    async with online() as (station_id, station):
        await report(station, 1, "Available")
        for connector in (1, 2):
            transaction_id = await start_transaction(station, "KPI-TAG", connector)
            stop = {"transactionId": transaction_id, "meterStop": 5000}
            await station.ok("StopTransaction", stop | {"timestamp": "2026-01-01T11:00:00Z"})
        async with browser_client(tenant, viewer) as client:
            week = await client.get("/kpis")
            january = await client.get("/kpis", params=JANUARY | {"station": station_id})
            both = await client.get("/kpis", params={"station": station_id, "location": "L"})
            backwards = await client.get(
                "/kpis", params={"start": "2026-02-01T00:00"} | {"end": "2026-01-01T00:00"}
            )
            yearly = await client.get("/kpis", params={"interval": "year"})
            garbled = await client.get("/kpis", params={"start": "yesterday"})
    foreign_station = await other_tenant.api.post(
        "/stations", json={"id": other_tenant.unique("CP"), "password": "a-station-password-1"}
    )
    async with browser_client(tenant, viewer) as client:
        theirs = await client.get("/kpis", params={"station": foreign_station.json()["id"]})
    assert week.status_code == 200 and "1 station from" in week.text
    # Measured from the station's registration, a moment before it connected.
    for kpi in ("uptime", "connectivity"):
        assert re.search(rf'id="kpi-{kpi}">\d+\.\d %<', week.text), kpi
    assert january.status_code == 200, january.text
    total = january.text.split('id="kpi-total"')[1].split("</tr>")[0]
    assert "<td>2</td><td>2</td><td>0</td><td>8.00 kWh</td><td>1 h 00 min</td>" in total
    assert 'id="kpi-uptime">\u2013<' in january.text  # before the station was registered
    assert [r.status_code for r in (both, backwards, yearly, garbled)] == [422] * 4
    assert theirs.status_code == 404
