"""Network status classes (never connected, available, temporarily and long-term unavailable)
and their two alert rules, over a real server and a real 1.6 station on loopback."""

from datetime import UTC, datetime, timedelta
from typing import Any

from chargeyard.alerts.network import NetworkStatus, Presence, network_status
from tests.alerts.conftest import wait_for_alert
from tests.alerts.test_event_rules import named
from tests.alerts.test_offline import go_offline
from tests.cluster.leased_nodes import until
from tests.commands.conftest import register
from tests.conftest import Tenant

AT = datetime(2026, 1, 1, tzinfo=UTC)


def test_classes_and_since() -> None:
    never = Presence("o", "CP1", AT, False, None, None)
    assert network_status(never, 60, AT + timedelta(days=3)) == (NetworkStatus.NEVER_CONNECTED, AT)
    up = Presence("o", "CP1", AT, True, AT + timedelta(hours=1), None)
    assert network_status(up, 60, AT) == (NetworkStatus.AVAILABLE, AT + timedelta(hours=1))
    away = Presence("o", "CP1", AT, False, AT, AT + timedelta(minutes=1))
    assert network_status(away, 60, AT + timedelta(seconds=119))[0] is (
        NetworkStatus.TEMPORARILY_UNAVAILABLE
    )
    assert network_status(away, 60, AT + timedelta(seconds=120)) == (
        NetworkStatus.LONG_TERM_UNAVAILABLE,
        AT + timedelta(minutes=1),
    )


async def status_of(tenant: Tenant, station_id: str) -> dict[str, Any]:
    response = await tenant.api.get("/network-status")
    assert response.status_code == 200, response.text
    body = response.json()
    assert sum(body["counts"].values()) == body["total"]
    return next(item for item in body["items"] if item["station_id"] == station_id)


async def test_never_connected_then_long_term_unavailable(tenant: Tenant) -> None:
    await tenant.api.patch("/alert-rules/station-never-connected", json={"threshold_s": 1})
    station_id = await register(tenant)
    assert (await status_of(tenant, station_id))["network_status"] == "NeverConnected"
    never = await wait_for_alert(
        tenant, named("station-never-connected", "Triggered"), station_id=station_id
    )
    assert never["category"] == "Connectivity"

    await go_offline(tenant, station_id)  # connects, then leaves
    await wait_for_alert(
        tenant, named("station-never-connected", "Resolved"), station_id=station_id
    )
    away = await status_of(tenant, station_id)
    assert away["network_status"] == "TemporarilyUnavailable"
    went = (await tenant.api.get(f"/stations/{station_id}")).json()["disconnected_at"]
    assert away["since"] == went

    rule = await tenant.api.patch(
        "/alert-rules/station-long-term-unavailable", json={"threshold_s": 1}
    )
    assert rule.json()["threshold_s"] == 1

    async def long_term() -> bool:
        found = await status_of(tenant, station_id)
        return bool(found["network_status"] == "LongTermUnavailable")

    await until(long_term)
    alert = await wait_for_alert(
        tenant, named("station-long-term-unavailable", "Triggered"), station_id=station_id
    )
    assert (alert["started_at"], alert["urgency"]) == (went, "High")
    filtered = await tenant.api.get("/network-status", params={"status": "LongTermUnavailable"})
    assert [i["station_id"] for i in filtered.json()["items"]] == [station_id]

    await go_offline(tenant, station_id)  # back (and away again: a new absence)
    await wait_for_alert(
        tenant,
        lambda a: a["id"] == alert["id"] and a["status"] == "Resolved",
        station_id=station_id,
    )
