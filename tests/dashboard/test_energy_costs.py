"""Energy costs on the dashboard: a finished priced session's electricity cost and margin on its
page (`/api/v1/transactions/{id}/energy-cost`), and a location's margin over a period
(`/api/v1/locations/{id}/margin`), both read by every role."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user
from tests.energy_costs.test_energy_costs_api import price
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, run_session, stamp


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)


async def test_a_session_and_its_site_show_energy_cost_and_margin(
    tenant: Tenant, stations: Stations
) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    region = (await tenant.api.post("/locations", json={"name": "Region"})).json()["id"]
    depot = (
        await tenant.api.post("/locations", json={"name": "Depot", "parent_id": region})
    ).json()["id"]
    tariff_id = await create_tariff(tenant)  # 0.30/kWh + 1.00 flat, 20 % tax
    station_id = await stations.register(location_id=depot)
    patched = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert patched.status_code == 200, patched.text
    await price(tenant, start - timedelta(hours=1), start + timedelta(hours=1), "0.10")
    tx_id = await run_session(stations, station_id, await add_tag(tenant), start=start)
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        session = await client.get(f"/sessions/{tx_id}")
        site = await client.get(f"/locations/{region}")
        empty_fields = await client.get(
            f"/locations/{region}", params={"margin_from": "", "margin_to": ""}
        )
        later = await client.get(
            f"/locations/{region}",
            params={
                "margin_from": stamp(datetime.now(UTC) + timedelta(minutes=1)),
                "margin_to": stamp(datetime.now(UTC) + timedelta(hours=1)),
            },
        )
        backwards = await client.get(
            f"/locations/{region}",
            params={"margin_from": "2026-02-01T00:00", "margin_to": "2026-01-01T00:00"},
        )
        garbled = await client.get(f"/locations/{region}", params={"margin_from": "yesterday"})
    # 10 kWh at 0.10 cost 1.00; the tariff earned 4.00 excl. VAT
    assert "1.00 EUR" in session.text and "margin 3.00 EUR" in session.text
    assert 'id="session-energy-cost"' in session.text
    margin = site.text.split('id="location-margin"', 1)[1].split("</table>", 1)[0]
    assert "EUR" in margin and "4.00 EUR" in margin and "3.00 EUR" in margin
    assert "10.00 kWh" in margin
    assert empty_fields.status_code == 200 and "3.00 EUR" in empty_fields.text
    assert later.status_code == 200 and "No priced session stopped here" in later.text
    assert backwards.status_code == 422 and "before" in backwards.text
    assert garbled.status_code == 422 and "margin_from" in garbled.text
