"""The vendor-error alert from a 2.x station: the real 2.0.1 / 2.1 simulator reports a
connector's `Problem` as a NotifyEvent with a `techCode`; the alert names the connector, carries
the organization's translation (its severity the urgency), is not cleared by the station's next
StatusNotification (2.x statuses carry no error), and resolves when the Problem turns false."""

import pytest

from chargeyard.simulator.clock import ManualClock
from chargeyard.simulator.connector import ConnectorStatus
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.alerts.conftest import alerts, wait_for_alert
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
