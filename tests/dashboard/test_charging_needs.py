"""The EV charging needs page over HTTP: what a real OCPP 2.x connection reported
(NotifyEVChargingNeeds and NotifyEVChargingSchedule, through the server's own adapter) is listed
newest first, filtered by EVSE, with no form for any role; the station and session pages link to
it; a site-confined user reads its own sites' stations only (another's is 404, as in REST), and
another organization's station is 404."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user
from tests.protocol.v201.conftest import V2Stations, tx_event

NEEDS = {
    "requestedEnergyTransfer": "AC_three_phase",
    "departureTime": "2026-12-07T18:00:00Z",
    "acChargingParameters": {
        "energyAmount": 30000,
        "evMinCurrent": 6,
        "evMaxCurrent": 32,
        "evMaxVoltage": 400,
    },
}
SCHEDULE = {
    "id": 1,
    "chargingRateUnit": "W",
    "chargingSchedulePeriod": [
        {"startPeriod": 0, "limit": 11000},
        {"startPeriod": 3600, "limit": 7000},
    ],
}


async def reported(v2: V2Stations, location_id: str | None = None) -> str:
    """A 2.0.1 station at `location_id` whose EVs reported needs on EVSEs 1 and 2 and a
    schedule on EVSE 1, in a session on EVSE 1."""
    station_id = await v2.register(location_id=location_id)
    async with v2.booted_v2(station_id) as station:
        started = tx_event(
            "Started", "tx-1", 0, "2026-12-07T10:00:00Z", evse={"id": 1, "connectorId": 1}
        )
        await station.ok("TransactionEvent", started)
        for evse, energy in ((1, 30000), (2, 12000)):
            needs = NEEDS | {
                "acChargingParameters": NEEDS["acChargingParameters"] | {"energyAmount": energy}
            }
            await station.ok("NotifyEVChargingNeeds", {"evseId": evse, "chargingNeeds": needs})
        await station.ok(
            "NotifyEVChargingSchedule",
            {"timeBase": "2026-12-07T10:00:00Z", "evseId": 1, "chargingSchedule": SCHEDULE},
        )
    return station_id


async def test_every_role_reads_what_the_evs_asked_for(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    v2 = V2Stations(tenant)
    station_id = await reported(v2)
    theirs = await reported(V2Stations(other_tenant))
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        station_page = await client.get(f"/stations/{station_id}")
        every = await client.get(f"/stations/{station_id}/charging-needs")
        second = await client.get(f"/stations/{station_id}/charging-needs", params={"evse_id": "2"})
        blank = await client.get(f"/stations/{station_id}/charging-needs", params={"evse_id": ""})
        wrong = await client.get(f"/stations/{station_id}/charging-needs", params={"evse_id": "x"})
        foreign = await client.get(f"/stations/{theirs}/charging-needs")
        sessions = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
        session_page = await client.get(f"/sessions/{sessions['items'][0]['id']}")

    assert f'href="/stations/{station_id}/charging-needs"' in station_page.text
    assert every.status_code == 200 and "2 reports" in every.text
    assert (
        every.text.count('id="need-') == 2
        and '<form method="post"' not in every.text.split("<main")[1]
    )
    assert "30.00 kWh" in every.text and "12.00 kWh" in every.text
    assert "AC_three_phase" in every.text and "6 to 32 A" in every.text and "400 V" in every.text
    assert "2 period(s) in W" in every.text and every.text.count('id="schedule-') == 1
    assert (
        "1 report" in second.text and "12.00 kWh" in second.text and "30.00 kWh" not in second.text
    )
    assert 'id="schedule-' not in second.text  # the schedule was EVSE 1's
    assert blank.status_code == 200 and "2 reports" in blank.text
    assert wrong.status_code == 422
    assert foreign.status_code == 404
    assert f'href="/stations/{station_id}/charging-needs?evse_id=1"' in session_page.text


async def test_a_site_confined_user_reads_its_own_stations_only(tenant: Tenant) -> None:
    north = (await tenant.api.post("/locations", json={"name": "North"})).json()
    south = (await tenant.api.post("/locations", json={"name": "South"})).json()
    v2 = V2Stations(tenant)
    mine = await reported(v2, north["id"])
    not_mine = await reported(v2, south["id"])
    confined = await make_user(tenant, "operator")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [north["id"]]})
    async with browser_client(tenant, confined) as client:
        own = await client.get(f"/stations/{mine}/charging-needs")
        other = await client.get(f"/stations/{not_mine}/charging-needs")
    assert own.status_code == 200 and own.text.count('id="need-') == 2
    assert other.status_code == 404
