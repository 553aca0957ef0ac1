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
