"""StatusNotification under 1.6: connector 0 is the station, connector n is EVSE n connector 1,
and every 1.6 status reads as a neutral status with the 1.6 one kept beside it."""

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import Stations

NEUTRAL = {
    "Available": "Available",
    "Preparing": "Occupied",
    "Charging": "Occupied",
    "SuspendedEVSE": "Occupied",
    "SuspendedEV": "Occupied",
    "Finishing": "Occupied",
    "Reserved": "Reserved",
    "Unavailable": "Unavailable",
    "Faulted": "Faulted",
}


def status(connector_id: int, ocpp_status: str, **extra: str) -> dict[str, object]:
    return {"connectorId": connector_id, "errorCode": "NoError", "status": ocpp_status} | extra


@pytest.mark.parametrize("ocpp_status", sorted(NEUTRAL))
async def test_every_status_maps_to_neutral_and_keeps_ocpp_status(
    stations: Stations, ocpp_status: str
) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        assert await station.ok("StatusNotification", status(1, ocpp_status)) == {}
    [evse] = (await stations.detail(station_id))["evses"]
    [connector] = evse["connectors"]
    assert (evse["evse_id"], connector["connector_id"]) == (1, 1)
    assert connector["status"] == NEUTRAL[ocpp_status]
    assert connector["ocpp_status"] == ocpp_status
    assert evse["status"] == NEUTRAL[ocpp_status]


async def test_connector_zero_is_the_station_itself(stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.ok("StatusNotification", status(0, "Unavailable"))
    detail = await stations.detail(station_id)
    assert (detail["status"], detail["ocpp_status"]) == ("Unavailable", "Unavailable")
    assert detail["evses"] == []


async def test_connector_n_is_evse_n_connector_1(stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.ok("StatusNotification", status(2, "Charging"))
        await station.ok(
            "StatusNotification",
            status(3, "Faulted", errorCode="GroundFailure", info="RCD", vendorErrorCode="E42"),
        )
    evses = {e["evse_id"]: e for e in (await stations.detail(station_id))["evses"]}
    assert sorted(evses) == [2, 3]
    assert [c["connector_id"] for c in evses[2]["connectors"]] == [1]
    faulted = evses[3]["connectors"][0]
    assert (faulted["status"], faulted["error_code"]) == ("Faulted", "GroundFailure")
    assert (faulted["info"], faulted["vendor_error_code"]) == ("RCD", "E42")


async def test_status_history_lists_every_report_newest_first(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    reports = [
        (0, "Available", "2026-03-01T08:00:00Z"),
        (1, "Preparing", "2026-03-01T08:01:00Z"),
        (1, "Charging", "2026-03-01T08:02:00+01:00"),  # 07:02 UTC: older than the others
        (1, "Finishing", "2026-03-01T08:03:00Z"),
    ]
    async with stations.booted(station_id) as station:
        for connector_id, ocpp_status, at in reports:
            await station.ok("StatusNotification", status(connector_id, ocpp_status, timestamp=at))
    history = (await tenant.api.get(f"/stations/{station_id}/status-history")).json()
    assert history["total"] == 4
    rows = [
        (r["evse_id"], r["connector_id"], r["ocpp_status"], r["status"]) for r in history["items"]
    ]
    assert rows == [
        (1, 1, "Finishing", "Occupied"),
        (1, 1, "Preparing", "Occupied"),
        (None, None, "Available", "Available"),
        (1, 1, "Charging", "Occupied"),
    ]
    assert history["items"][-1]["occurred_at"].startswith("2026-03-01T07:02:00")
    only_evse = (
        await tenant.api.get(f"/stations/{station_id}/status-history", params={"evse_id": 1})
    ).json()
    assert only_evse["total"] == 3


async def test_connector_id_out_of_range_is_refused(stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        answer = await station.call("StatusNotification", status(-1, "Available"))
        assert answer[:3] == [4, answer[1], "PropertyConstraintViolation"]
        huge = await station.call("StatusNotification", status(2**40, "Available"))
        assert huge[2] == "PropertyConstraintViolation"
        await station.ok("Heartbeat", {})
    assert (await stations.detail(station_id))["evses"] == []
