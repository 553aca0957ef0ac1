"""A station described the way roaming partners and maps need it."""

from tests.conftest import Tenant
from tests.protocol.conftest import Stations


async def test_a_station_is_described_and_its_ocpi_status_follows_deploy_state(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register(
        deploy_state="Planned",
        latitude=52.520008,
        longitude=13.404954,
        capabilities=["RFID_READER", "REMOTE_START_STOP_CAPABLE"],
        parking_restrictions=["EV_ONLY"],
        directions="Level -1, next to the lifts",
        floor_level="-1",
        physical_reference="B-07",
    )
    await tenant.api.post(f"/stations/{station_id}/evses", json={"evse_id": 1})
    detail = await stations.detail(station_id)
    assert (detail["latitude"], detail["longitude"]) == (52.520008, 13.404954)
    assert detail["capabilities"] == ["REMOTE_START_STOP_CAPABLE", "RFID_READER"]
    assert (detail["floor_level"], detail["physical_reference"]) == ("-1", "B-07")
    assert detail["evses"][0]["ocpi_status"] == "PLANNED"

    retired = await tenant.api.patch(f"/stations/{station_id}", json={"deploy_state": "Deprecated"})
    assert retired.status_code == 200 and retired.json()["evses"][0]["ocpi_status"] == "REMOVED"
    for bad in (
        {"capabilities": ["TELEPORT"]},
        {"deploy_state": "Live"},
        {"latitude": 91},
        {"floor_level": "12345"},
        {"deploy_state": None},
    ):
        answer = await tenant.api.patch(f"/stations/{station_id}", json=bad)
        assert answer.status_code == 422, (bad, answer.text)
