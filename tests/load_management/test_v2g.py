"""A V2G demand-response event delivered end to end: the `fleet` plan brings the site's net
import down to the event's `max_power_kw` by discharging the bidirectional EVSE of a
simulated OCPP 2.1 station, which receives 2.1's discharging profile (CentralSetpoint with a
negative setpoint) and discharges its vehicle; the other station's EVSE never discharges. A
2.0.1 station is sent a negative limit only once it reports V2X support in its device model.
Stations on loopback compose their profiles as real ones do (`simulator.charging_limits`),
a discharge counting negative in the site's sum.
"""

from datetime import UTC, datetime, timedelta

from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.load_management.conftest import SimSite, simulated_site, until
from tests.load_management.test_completion import _needs, _transaction_id


def _session_limit_w(site: SimSite, index: int) -> float:
    station = site.stations[index]
    limit = station.charger.limit_w(station.connector(1), station.clock.now())
    return float("inf") if limit is None else limit


async def _wire_bidirectional(tenant: Tenant, station_id: str) -> None:
    wired = await tenant.api.put(
        f"/stations/{station_id}/wiring",
        params={"evse_id": 1},
        json={"max_power_kw": 11.04, "bidirectional": True},
    )
    assert wired.status_code == 200, wired.text


async def _sessions_and_event(tenant: Tenant, site: SimSite) -> str:
    """Both sessions need 10 kWh in 8 h; an event asks the site to export 5 kW for an hour."""
    await site.start(0, soc=0.5)
    await site.start(1, soc=0.5)
    ids = [await _transaction_id(tenant, s.station_id) for s in site.stations]
    leaves = datetime.now(UTC) + timedelta(hours=8)
    for transaction_id in ids:
        await _needs(tenant, transaction_id, 10.0, leaves)
    now = datetime.now(UTC)
    event = await tenant.api.post(
        "/demand-response-events",
        json={
            "circuit_id": site.circuit_id,
            "kind": "v2g",
            "starts_at": (now - timedelta(minutes=1)).isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
            "max_power_kw": -5.0,
        },
    )
    assert event.status_code == 201, event.text
    return str(event.json()["id"])


def _exporting(site: SimSite) -> bool:
    limits = site.session_limits_w()
    return len(limits) == 2 and abs(sum(limits) + 5_000) < 100


async def test_a_v2g_event_discharges_a_21_station_down_to_the_events_import(
    tenant: Tenant,
) -> None:
    async with simulated_site(
        tenant,
        2,
        connectors=1,
        station_class=SimulatedStationV21,
        objective="fleet",
        max_power_kw=22,
    ) as site:
        bidirectional, plain = site.stations
        await _wire_bidirectional(tenant, bidirectional.station_id)
        await _sessions_and_event(tenant, site)
        await until(lambda: _exporting(site), within_s=30.0)
        assert _session_limit_w(site, 0) < 0  # the bidirectional EVSE discharges...
        assert _session_limit_w(site, 1) >= 0  # ...the other never does
        connector = bidirectional.connector(1)
        bidirectional.charger.advance(connector)
        assert connector.power_w < 0  # the vehicle gives power back
        # As 2.1 defines discharging, not 2.0.1's negative limit.
        periods = [
            period
            for _evse, payload in bidirectional.profile_payloads.values()
            if payload.get("charging_profile_purpose") == "TxProfile"
            for period in payload["charging_schedule"][0]["charging_schedule_period"]
        ]
        discharging = [p for p in periods if p.get("operation_mode") == "CentralSetpoint"]
        assert discharging
        assert all(p["setpoint"] < 0 and p["discharge_limit"] < 0 for p in discharging)
        assert all(p["limit"] >= 0 for p in periods)
        for _evse, payload in plain.profile_payloads.values():
            for period in payload["charging_schedule"][0]["charging_schedule_period"]:
                assert period["limit"] >= 0 and "setpoint" not in period
        # The plan: the net import at the target in the event's slot under way, and both
        # sessions still served by their departure.
        response = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
        assert response.status_code == 200, response.text
        sessions = response.json()["sessions"]
        assert abs(sum(s["schedule_kw"][0] for s in sessions) + 5.0) < 0.1
    assert max(site.samples) <= 22_000


async def test_a_201_station_discharges_by_a_negative_limit_once_it_reports_v2x(
    tenant: Tenant,
) -> None:
    async with simulated_site(
        tenant,
        2,
        connectors=1,
        station_class=SimulatedStationV201,
        objective="fleet",
        max_power_kw=22,
    ) as site:
        bidirectional = site.stations[0]
        await _wire_bidirectional(tenant, bidirectional.station_id)
        await _sessions_and_event(tenant, site)
        # Wired bidirectional but silent on V2X: planned and sent no discharge.
        response = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
        assert response.status_code == 200, response.text
        assert all(v >= 0 for s in response.json()["sessions"] for v in s["schedule_kw"])
        # The event's plan in force: with no discharge to offset it, neither charges now.
        await until(lambda: site.session_limits_w() == [0.0, 0.0])
        bidirectional.device_model.define("V2XChargingCtrlr", "Enabled", "true")
        await bidirectional.notify_report()
        await _wire_bidirectional(tenant, bidirectional.station_id)  # a commit: a step now
        await until(lambda: _exporting(site), within_s=30.0)
        assert _session_limit_w(site, 0) < 0 and _session_limit_w(site, 1) >= 0
        negative = [
            period
            for _evse, payload in bidirectional.profile_payloads.values()
            for period in payload["charging_schedule"][0]["charging_schedule_period"]
            if period["limit"] < 0
        ]
        assert negative and all("setpoint" not in p for p in negative)
    assert max(site.samples) <= 22_000


async def test_only_a_v2g_event_may_ask_for_a_negative_import(tenant: Tenant) -> None:
    circuit = (await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 50})).json()
    event = {
        "circuit_id": circuit["id"],
        "starts_at": "2030-01-01T00:00:00Z",
        "ends_at": "2030-01-01T01:00:00Z",
        "max_power_kw": -5.0,
    }
    v2g = await tenant.api.post("/demand-response-events", json={**event, "kind": "v2g"})
    assert v2g.status_code == 201, v2g.text
    assert v2g.json()["max_power_kw"] == -5.0
    curtailment = await tenant.api.post(
        "/demand-response-events", json={**event, "kind": "curtailment"}
    )
    assert "max_power_kw" in problem(curtailment, 422)["detail"]


async def test_a_vehicle_that_ignores_its_discharge_leaves_the_circuit_within_its_limit(
    tenant: Tenant,
) -> None:
    """Three 2.1 stations on 11 kW; the two plain sessions need 11 kWh each within the hour,
    more than the circuit gives. The bidirectional one is told to discharge for the event and
    its vehicle ignores it (it draws nothing). Counting that discharge as freed capacity, the
    plain ones would have been given 22 kW; the imports the stations may draw stay within
    11 kW in every sample instead."""
    async with simulated_site(
        tenant,
        3,
        connectors=1,
        station_class=SimulatedStationV21,
        objective="fleet",
        max_power_kw=11,
    ) as site:
        bidirectional = site.stations[0]
        await _wire_bidirectional(tenant, bidirectional.station_id)
        await site.start(0, soc=0.5, discharges=False)
        await site.start(1, soc=0.2)
        await site.start(2, soc=0.2)
        ids = [await _transaction_id(tenant, s.station_id) for s in site.stations]
        now = datetime.now(UTC)
        await _needs(tenant, ids[0], 5.0, now + timedelta(hours=8))
        for transaction_id in ids[1:]:
            await _needs(tenant, transaction_id, 11.0, now + timedelta(hours=1))
        event = await tenant.api.post(
            "/demand-response-events",
            json={
                "circuit_id": site.circuit_id,
                "kind": "v2g",
                "starts_at": (now - timedelta(minutes=1)).isoformat(),
                "ends_at": (now + timedelta(hours=1)).isoformat(),
                "max_power_kw": -6.0,
            },
        )
        assert event.status_code == 201, event.text

        def settled() -> bool:
            limits = site.session_limits_w()
            told = _session_limit_w(site, 0) < 0
            return told and len(limits) == 3 and sum(limits[1:]) > 10_000

        await until(settled, within_s=30.0)
        connector = bidirectional.connector(1)
        bidirectional.charger.advance(connector)
        assert connector.power_w == 0 and connector.exported_wh == 0  # it ignores the discharge
        plain = [_session_limit_w(site, 1), _session_limit_w(site, 2)]
        assert sum(plain) <= 11_000 + 1  # the others share the circuit, not 11 kW more
    assert site.import_samples and max(site.import_samples) <= 11_000 + 1


async def test_a_load_sharing_circuit_is_planned_as_fleet_while_a_v2g_event_is_under_way(
    tenant: Tenant,
) -> None:
    """Load sharing never discharges: while a V2G event is under way on a load-sharing site
    with a bidirectional EVSE, the site is planned as `fleet` (the plan says so), so the event
    discharges what can be recharged by departure; once the event is gone, load sharing
    again, and nothing discharges."""
    async with simulated_site(
        tenant, 2, connectors=1, station_class=SimulatedStationV21, max_power_kw=22
    ) as site:
        bidirectional = site.stations[0]
        await _wire_bidirectional(tenant, bidirectional.station_id)
        event_id = await _sessions_and_event(tenant, site)
        await until(lambda: _exporting(site), within_s=30.0)
        assert _session_limit_w(site, 0) < 0 and _session_limit_w(site, 1) >= 0
        response = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
        assert response.status_code == 200, response.text
        assert response.json()["objective"] == "fleet"
        gone = await tenant.api.delete(f"/demand-response-events/{event_id}")
        assert gone.status_code == 204, gone.text
        response = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
        assert response.status_code == 200, response.text
        assert response.json()["objective"] == "load_sharing"
        assert all(s["power_kw"] >= 0 for s in response.json()["sessions"])
        await until(lambda: all(limit >= 0 for limit in site.session_limits_w()))
    assert max(site.import_samples) <= 22_000
