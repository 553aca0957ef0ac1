"""Status history and alerts as CSV over real REST, from what a real 1.6 station reported."""

import csv
import io

from tests.alerts.conftest import wait_for_alert
from tests.commands.conftest import Online
from tests.conftest import Tenant


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_status_history_and_alerts(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        for state, error, info in (
            ("Available", "NoError", None),
            ("Faulted", "OtherError", "=HYPERLINK(1)"),
            ("Available", "NoError", None),
        ):
            payload = {"connectorId": 1, "status": state, "errorCode": error}
            await station.ok("StatusNotification", payload | ({"info": info} if info else {}))
        await wait_for_alert(
            tenant,
            lambda a: a["name"] == "connector-faulted" and a["status"] == "Resolved",
            station_id=station_id,
        )

    history = await tenant.api.get("/reports/status-history.csv", params={"station_id": station_id})
    assert history.status_code == 200, history.text
    rows = parse(history.text)
    assert [(r["status"], r["error_code"]) for r in rows] == [
        ("Available", "NoError"),
        ("Faulted", "OtherError"),
        ("Available", "NoError"),
    ]
    assert rows[1]["info"] == "'=HYPERLINK(1)"

    report = await tenant.api.get(
        "/reports/alerts.csv", params={"station_id": station_id, "status": "Resolved"}
    )
    assert report.status_code == 200, report.text
    alerts = parse(report.text)
    assert sorted(a["name"] for a in alerts) == ["connector-faulted", "vendor-error"]
    assert all(a["resolved_by"] == "system" and a["ended_at"] for a in alerts)
    triggered = await tenant.api.get("/reports/alerts.csv", params={"status": "Triggered"})
    assert parse(triggered.text) == []


async def test_status_history_carries_vendor_error_translations(
    tenant: Tenant, online: Online, other_tenant: Tenant
) -> None:
    """A vendor error code the organization's table knows (for the vendor the station booted
    as) is translated on its row; an unknown code, and another organization's entry, are not."""
    entry = {"vendor": "Acme", "code": "E-17", "title": "Residual current", "severity": "High"}
    codes = {"codes": [entry | {"action": "=Reset the RCD"}]}
    assert (await tenant.api.post("/vendor-error-codes/import", json=codes)).status_code == 200
    theirs = {"codes": [entry | {"code": "E-99", "title": "Theirs"}]}
    assert (
        await other_tenant.api.post("/vendor-error-codes/import", json=theirs)
    ).status_code == 200
    async with online() as (station_id, station):
        for code in ("E-17", "E-99", None):
            payload = {"connectorId": 1, "status": "Faulted", "errorCode": "OtherError"}
            await station.ok(
                "StatusNotification", payload | ({"vendorErrorCode": code} if code else {})
            )
    history = await tenant.api.get("/reports/status-history.csv", params={"station_id": station_id})
    assert history.status_code == 200, history.text
    rows = parse(history.text)
    assert [(r["vendor_error_code"], r["error_title"], r["error_severity"]) for r in rows] == [
        ("E-17", "Residual current", "High"),
        ("E-99", "", ""),
        ("", "", ""),
    ]
    assert rows[0]["error_action"] == "'=Reset the RCD"  # neutralised, as every text cell
