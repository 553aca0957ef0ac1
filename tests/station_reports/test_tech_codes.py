"""A 2.x station's fault codes translated: the real 2.0.1 / 2.1 simulator reports a connector
problem as a NotifyEvent with a `techCode`, and `/stations/{id}/reports` answers the device
event with the organization's translation for the hardware the station booted with."""

from typing import Any

import pytest

from chargeyard.simulator.clock import ManualClock
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

STATIONS = {"ocpp2.0.1": SimulatedStationV201, "ocpp2.1": SimulatedStationV21}
# The simulator boots as vendor "Chargeyard", model "Simulator AC", firmware "1.0.0".
RCD = {"vendor": "chargeyard", "code": "E-17", "title": "Residual current", "severity": "Medium"}
CODES = [
    RCD,
    RCD | {"model": "Simulator AC", "title": "RCD tripped", "severity": "High", "action": "Reset"},
    RCD | {"model": "Simulator DC", "title": "Not this model"},
    {"vendor": "Chargeyard", "firmware_version": "9.9", "code": "E-02", "title": "Not this one"},
]


async def _reports(tenant: Tenant, station_id: str, **params: Any) -> list[dict[str, Any]]:
    answer = await tenant.api.get(f"/stations/{station_id}/reports", params=params)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


@pytest.mark.parametrize("protocol", sorted(STATIONS))
async def test_a_problems_tech_code_is_translated(
    tenant: Tenant, other_tenant: Tenant, protocol: str
) -> None:
    imported = await tenant.api.post("/vendor-error-codes/import", json={"codes": CODES})
    assert imported.status_code == 200, imported.text
    theirs = {"codes": [RCD | {"code": "E-99", "title": "Theirs"}]}
    assert (await other_tenant.api.post("/vendor-error-codes/import", json=theirs)).is_success
    station_id = tenant.unique("SIM")
    created = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert created.status_code == 201, created.text
    station = STATIONS[protocol](
        tenant.server.ocpp_url, station_id, password=PASSWORD, connectors=2, clock=ManualClock()
    )
    try:
        assert await station.ensure_online()
        await station.report_problem(1, "E-17", "RCD 30 mA")
        await station.report_problem(2, "E-99")
        await station.report_problem(2, "E-02")
        await station.report_problem(1, "E-17", cleared=True)
    finally:
        await station.close()

    events = await _reports(tenant, station_id, kind="device_event")
    assert [
        (
            e["evse_id"],
            e["data"]["tech_code"],
            e["data"]["actual_value"],
            (e["vendor_error"] or {}).get("title"),
        )
        for e in events
    ] == [
        (1, "E-17", "true", "RCD tripped"),
        (2, "E-99", "true", None),
        (2, "E-02", "true", None),
        (1, "E-17", "false", "RCD tripped"),
    ]
    assert events[0]["data"]["tech_info"] == "RCD 30 mA"
    assert events[0]["vendor_error"] == {
        "vendor": "chargeyard",
        "model": "Simulator AC",
        "firmware_version": None,
        "code": "E-17",
        "title": "RCD tripped",
        "description": None,
        "severity": "High",
        "action": "Reset",
    }
    paged = await _reports(tenant, station_id, kind="device_event", limit=1, offset=3)
    assert [e["vendor_error"]["title"] for e in paged] == ["RCD tripped"]
    # The status history of a 2.x station has no code to translate: its rows stay untouched.
    history = await tenant.api.get(f"/stations/{station_id}/status-history")
    assert {row["vendor_error"] for row in history.json()["items"]} == {None}
