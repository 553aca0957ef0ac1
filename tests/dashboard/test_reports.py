"""The reports page over HTTP: a report downloaded at once with the page's filters, one built
in the background and fetched once ready, every role, and another organization's report."""

import csv
import io

from tests.commands.conftest import register, start_transaction
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.protocol.conftest import eventually


async def test_a_viewer_downloads_a_filtered_report_at_once(tenant: Tenant) -> None:
    await tenant.api.post("/id-tags", json={"value": "REPORTTAG", "status": "Accepted"})
    busy, quiet = await register(tenant), await register(tenant)
    for station_id in (busy, quiet):
        async with scripted_station(tenant.server.ocpp_url, station_id) as station:
            await start_transaction(station, "REPORTTAG")
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        page = await client.get("/reports", params={"kind": "transactions"})
        form = {
            "csrf_token": hidden(page.text, "csrf_token"),
            "kind": "transactions",
            "format": "csv",
            "station_id": busy,
            "active": "",
            "started_since": "2020-01-01T00:00",
            "action": "download",
        }
        answer = await client.post("/reports", data=form)
        workbook = await client.post("/reports", data=form | {"format": "xlsx"})
        wrong = await client.post("/reports", data=form | {"evse_id": "1", "active": "perhaps"})
        unknown = await client.post("/reports", data=form | {"kind": "everything"})
        other_kind = await client.get("/reports", params={"kind": "meter-values"})
    assert page.status_code == 200 and 'id="report-form"' in page.text
    assert 'name="started_since" type="datetime-local"' in page.text
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="transactions.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["station_id"] for row in rows] == [busy]
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert wrong.status_code == 422 and "active" in wrong.text
    assert unknown.status_code == 422
    assert 'name="measurand"' in other_kind.text


async def test_a_report_built_in_the_background(tenant: Tenant, other_tenant: Tenant) -> None:
    station_id = await register(tenant)
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        page = await client.get("/reports", params={"kind": "status-history"})
        form = {
            "csrf_token": hidden(page.text, "csrf_token"),
            "kind": "status-history",
            "format": "csv",
            "station_id": station_id,
            "action": "background",
        }
        queued = await client.post("/reports", data=form)
        assert queued.status_code == 303, queued.text
        report_path = queued.headers["location"]
        report_id = report_path.rsplit("/", 1)[1]

        async def ready() -> bool:
            return (await client.get(report_path)).text.count('data-status="ready"') == 1

        await eventually(ready)
        shown = await client.get(report_path)
        content = await client.get(f"{report_path}/content")
        listing = await client.get("/reports")
        bad_filter = await client.post("/reports", data=form | {"since": "yesterday"})
    foreign = await make_user(other_tenant, "admin")
    async with browser_client(other_tenant, foreign) as client:
        not_theirs = await client.get(report_path)
        not_their_file = await client.get(f"{report_path}/content")
    assert f'href="/reports/{report_id}/content"' in shown.text
    assert content.status_code == 200
    assert content.text.startswith("id,station_id,evse_id")
    assert f'href="/reports/{report_id}"' in listing.text
    assert bad_filter.status_code == 422
    assert not_theirs.status_code == 404 and not_their_file.status_code == 404
    api = (await tenant.api.get(f"/reports/{report_id}")).json()
    assert api["status"] == "ready" and api["filters"] == {"station_id": station_id}


async def test_forms_need_the_session_s_token(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        forged = await client.post(
            "/reports", data={"kind": "transactions", "action": "download", "csrf_token": "x"}
        )
    async with browser_client(tenant) as client:
        anonymous = await client.get("/reports")
    assert forged.status_code == 403
    assert anonymous.status_code == 401 and "Sign in" in anonymous.text
