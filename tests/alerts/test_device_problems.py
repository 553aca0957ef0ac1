"""The vendor-error alert from a 2.x station: the real 2.0.1 / 2.1 simulator reports a
connector's `Problem` as a NotifyEvent with a `techCode`; the alert names the connector, carries
the organization's translation (its severity the urgency), is not cleared by the station's next
StatusNotification (2.x statuses carry no error), and resolves when the Problem turns false, or
when the station reboots and does not report it again."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from chargeyard.simulator.clock import ManualClock
from chargeyard.simulator.connector import ConnectorStatus, StopReason
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.alerts.conftest import DEADLINE_S, alerts, wait_for_alert
from tests.alerts.test_event_rules import named
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

STATIONS = {"ocpp2.0.1": SimulatedStationV201, "ocpp2.1": SimulatedStationV21}
RCD = {
    "vendor": "Chargeyard",
    "model": "Simulator AC",
    "code": "E-17",
    "title": "RCD tripped",
    "severity": "High",
    "action": "Reset the RCD on site.",
}


@pytest.mark.parametrize("protocol", sorted(STATIONS))
async def test_a_problem_raises_a_translated_alert_until_it_clears(
    tenant: Tenant, protocol: str
) -> None:
    assert (await tenant.api.post("/vendor-error-codes", json=RCD)).status_code == 201
    station_id = tenant.unique("SIM")
    created = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert created.status_code == 201, created.text
    station = STATIONS[protocol](
        tenant.server.ocpp_url, station_id, password=PASSWORD, connectors=2, clock=ManualClock()
    )
    try:
        assert await station.ensure_online()
        await station.report_problem(2, "E-17", "RCD 30 mA")
        await station.status(2, ConnectorStatus.FAULTED)
        raised = await wait_for_alert(
            tenant, named("vendor-error", "Triggered", connector=1), station_id=station_id
        )
        assert (raised["evse_id"], raised["connector_id"], raised["urgency"]) == (2, 1, "High")
        assert raised["detail"]["vendor_error_code"] == "E-17"
        assert raised["detail"]["info"] == "RCD 30 mA"
        assert raised["detail"]["translation"]["title"] == "RCD tripped"
        # The connector-faulted alert the status raised is its own; the status that follows
        # (no error code in 2.x) leaves the vendor error open.
        await wait_for_alert(tenant, named("connector-faulted", "Triggered"), station_id=station_id)
        await station.status(2, ConnectorStatus.AVAILABLE)
        await wait_for_alert(tenant, named("connector-faulted", "Resolved"), station_id=station_id)
        still = await alerts(tenant, station_id=station_id, name="vendor-error")
        assert [a["status"] for a in still] == ["Triggered"]

        await station.report_problem(2, "E-17", cleared=True)
        resolved = await wait_for_alert(
            tenant, named("vendor-error", "Resolved"), station_id=station_id
        )
        assert resolved["id"] == raised["id"]
    finally:
        await station.close()


async def vendor_errors_once(
    tenant: Tenant, station_id: str, holds: Callable[[dict[int, dict[str, Any]]], bool]
) -> dict[int, dict[str, Any]]:
    """The station's vendor-error alerts by connector (EVSE), once one listing shows `holds`."""
    loop = asyncio.get_running_loop()
    until = loop.time() + DEADLINE_S
    while True:
        found = {
            a["evse_id"]: a
            for a in await alerts(tenant, station_id=station_id, name="vendor-error")
        }
        if holds(found):
            return found
        assert loop.time() < until, f"not within {DEADLINE_S} s: {found}"
        await asyncio.sleep(0.1)


async def test_a_reboot_resolves_the_problem_the_station_does_not_report_again(
    tenant: Tenant,
) -> None:
    """A 2.0.1 station with faults on both connectors reboots; the reboot fixed connector 1's,
    so after the boot it reports only connector 2's again. Connector 1's alert waits the
    organization's vendor-error threshold from the boot, then is resolved by the reboot (as of
    the boot); connector 2's stays open, the same alert."""
    rule = "/alert-rules/vendor-error"
    assert (await tenant.api.patch(rule, json={"threshold_s": 600})).status_code == 200
    station_id = tenant.unique("SIM")
    created = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert created.status_code == 201, created.text
    station = SimulatedStationV201(
        tenant.server.ocpp_url, station_id, password=PASSWORD, connectors=2, clock=ManualClock()
    )
    try:
        assert await station.ensure_online()
        await station.report_problem(1, "E-17", "RCD 30 mA")
        await station.report_problem(2, "E-42", "Contactor welded")
        before = await vendor_errors_once(tenant, station_id, lambda found: len(found) == 2)
        assert all(a["awaiting_report_since"] is None for a in before.values())

        del station.problems[1]  # what the reboot fixed
        await station.reboot(StopReason.REBOOT)
        # The boot marks both; connector 2's report after it unmarks its own (one listing
        # shows both, so connector 2's report was judged after the boot).
        after = await vendor_errors_once(
            tenant,
            station_id,
            lambda found: (
                found[1]["awaiting_report_since"] is not None
                and found[2]["awaiting_report_since"] is None
            ),
        )
        assert after[2]["status"] == "Triggered"

        assert (await tenant.api.patch(rule, json={"threshold_s": 1})).status_code == 200
        resolved = await wait_for_alert(
            tenant, named("vendor-error", "Resolved", connector=1), station_id=station_id
        )
        boots = await tenant.api.get(
            "/events", params={"type": "station.booted", "station_id": station_id}
        )
        booted = max(e["occurred_at"] for e in boots.json()["items"])  # the reboot
        assert resolved["id"] == before[1]["id"]
        assert resolved["resolved_by"] == "reboot"
        assert resolved["ended_at"] == after[1]["awaiting_report_since"] == booted
        assert resolved["awaiting_report_since"] is None
        still = await alerts(tenant, station_id=station_id, name="vendor-error", status="Triggered")
        assert [a["id"] for a in still] == [before[2]["id"]]
        events = await tenant.api.get(
            "/events", params={"type": "alert.resolved", "station_id": station_id}
        )
        assert [e["data"]["resolved_by"] for e in events.json()["items"]] == ["reboot"]
    finally:
        await station.close()
