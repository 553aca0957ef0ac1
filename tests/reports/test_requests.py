"""Asynchronous reports over real REST: requested, built in the background by the server's
builder into a stored file, downloaded; scoped; failures reported (restarts: test_restart.py)."""

from tests.commands.conftest import Online
from tests.conftest import Tenant
from tests.reports.support import parse_csv, parse_xlsx, settled
from tests.reports.test_xlsx import charge
from tests.support.failing_writes import allow_writes, refuse_writes


async def test_a_requested_report_is_built_and_downloaded(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        ids = [await charge(station, tag) for tag in ("TAG-1", "-2", "TAG-3")]

    asked = await tenant.api.post(
        "/reports",
        json={"kind": "transactions", "format": "xlsx", "filters": {"station_id": station_id}},
    )
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] in ("queued", "running", "ready")
    report = await settled(tenant, asked.json()["id"])
    assert report["status"] == "ready", report
    assert report["rows"] == 3 and report["filters"] == {"station_id": station_id}

    download = await tenant.api.get(report["download_url"])
    assert download.status_code == 200
    header, cells = parse_xlsx(download.content)
    assert [row[0] for row in cells] == ids
    assert [row[header.index("id_tag")] for row in cells] == ["TAG-1", "'-2", "TAG-3"]
    stored = await tenant.api.get(f"/files/{report['file_id']}")
    assert stored.json()["kind"] == "report"

    as_csv = await tenant.api.post(
        "/reports", json={"kind": "meter-values", "filters": {"station_id": station_id}}
    )
    ready = await settled(tenant, as_csv.json()["id"])
    rows = parse_csv((await tenant.api.get(ready["download_url"])).text)
    direct = await tenant.api.get("/reports/meter-values.csv", params={"station_id": station_id})
    assert rows == parse_csv(direct.text) and len(rows) == ready["rows"] > 0

    events = (await tenant.api.get("/events", params={"type": "report.ready"})).json()
    assert {e["data"]["report_id"] for e in events["items"]} >= {report["id"], ready["id"]}

    listed = (await tenant.api.get("/reports", params={"status": "ready"})).json()
    assert [r["id"] for r in listed["items"]] == [ready["id"], report["id"]]
    assert listed["items"][1]["download_url"] == report["download_url"]

    # Another organization sees neither the request nor its file.
    assert (await other_tenant.api.get(f"/reports/{report['id']}")).status_code == 404
    assert (await other_tenant.api.get(f"/reports/{report['id']}/content")).status_code == 404
    assert (await other_tenant.api.get("/reports")).json()["items"] == []


async def test_bad_requests_are_refused_and_failures_reported(tenant: Tenant) -> None:
    unknown = await tenant.api.post(
        "/reports", json={"kind": "alerts", "filters": {"stationid": "CP-1"}}
    )
    assert unknown.status_code == 422, unknown.text
    wrong = await tenant.api.post("/reports", json={"kind": "cdrs", "filters": {"credit": "x"}})
    assert wrong.status_code == 422
    assert (await tenant.api.post("/reports", json={"kind": "pdfs"})).status_code == 422

    backwards = {"start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}
    period = await tenant.api.post("/reports", json={"kind": "uptime", "filters": backwards})
    assert period.status_code == 422

    # A database that refuses to store the file fails the build: reported, never left running.
    url = tenant.server.settings.database_url
    await refuse_writes(url, ["stored_files"])
    try:
        asked = await tenant.api.post("/reports", json={"kind": "alerts", "format": "xlsx"})
        assert asked.status_code == 202
        report = await settled(tenant, asked.json()["id"])
    finally:
        await allow_writes(url, ["stored_files"])
    assert report == report | {"status": "failed", "download_url": None, "file_id": None}
    assert "no space left on device" in report["error"]
    content = await tenant.api.get(f"/reports/{report['id']}/content")
    assert content.status_code == 409
    events = (await tenant.api.get("/events", params={"type": "report.failed"})).json()
    assert report["id"] in {e["data"]["report_id"] for e in events["items"]}
