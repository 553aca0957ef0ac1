"""A plan that names a tariff group prices its subscribers by the group's tariff wherever the
group applies, while the subscription is active; over REST and real 1.6 sessions."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Tenant
from tests.drivers.test_drivers_api import new_driver
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.subscriptions.test_subscriptions_api import activate, new_plan
from tests.support.billing import create_tariff, priced_station, run_session

MEMBERS = [{"price_components": [{"type": "ENERGY", "price": "0.10", "step_size": 1}]}]


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)


async def _cost(tenant: Tenant, tx_id: int) -> dict[str, Any]:
    return dict((await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"])


async def _group(tenant: Tenant, tariff_id: str, **fields: Any) -> str:
    body = {"name": tenant.unique("Members"), "tariff_id": tariff_id} | fields
    response = await tenant.api.post("/tariff-groups", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_subscribers_are_priced_by_the_plans_group(
    tenant: Tenant, stations: Stations
) -> None:
    public = await create_tariff(tenant)  # 0.30/kWh + 1.00, 20 % tax
    members = await create_tariff(tenant, name="Members", tax_rate=None, elements=MEMBERS)
    station_id = await priced_station(tenant, stations, public)
    group_id = await _group(tenant, members, places=[{"kind": "organization"}])
    plan = await new_plan(tenant, fee="0", included_kwh=None, tariff_group_id=group_id)
    assert plan["tariff_group_id"] == group_id
    tag = await add_tag(tenant)
    driver = await new_driver(tenant, id_tags=[tag])
    subscribed = await activate(tenant, driver["id"], plan["id"])
    assert subscribed.status_code == 201, subscribed.text
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)

    # 10 kWh as a subscriber: the group's 0.10/kWh, no tax.
    member_session = await run_session(stations, station_id, tag, start)
    cost = await _cost(tenant, member_session)
    assert (cost["tariff_id"], cost["incl_tax"]) == (members, "1.00")

    # Someone else at the same station pays the station's tariff.
    other = await run_session(stations, station_id, await add_tag(tenant), start)
    assert (await _cost(tenant, other))["incl_tax"] == "4.80"

    # Cancelled: the next session is priced by the station's tariff again.
    assert (await tenant.api.post(f"/subscriptions/{subscribed.json()['id']}/cancel")).is_success
    after = await run_session(stations, station_id, tag, start + timedelta(hours=1))
    cost = await _cost(tenant, after)
    assert (cost["tariff_id"], cost["incl_tax"]) == (public, "4.80")


async def test_a_group_applies_only_at_its_places(tenant: Tenant, stations: Stations) -> None:
    public = await create_tariff(tenant)
    members = await create_tariff(tenant, name="Members", tax_rate=None, elements=MEMBERS)
    station_id = await priced_station(tenant, stations, public)
    elsewhere = await stations.register()
    group_id = await _group(tenant, members, places=[{"kind": "station", "id": elsewhere}])
    plan = await new_plan(tenant, fee="0", tariff_group_id=group_id)
    tag = await add_tag(tenant)
    driver = await new_driver(tenant, id_tags=[tag])
    assert (await activate(tenant, driver["id"], plan["id"])).status_code == 201
    tx_id = await run_session(stations, station_id, tag)
    assert (await _cost(tenant, tx_id))["tariff_id"] == public


async def test_the_group_must_exist_and_stays_while_a_plan_names_it(tenant: Tenant) -> None:
    members = await create_tariff(tenant, name="Members", tax_rate=None, elements=MEMBERS)
    group_id = await _group(tenant, members)
    refused = await tenant.api.post(
        "/subscription-plans",
        json={"name": "x", "fee": "1", "currency": "EUR", "tariff_group_id": "no-such-group"},
    )
    assert refused.status_code == 422, refused.text
    await new_plan(tenant, tariff_group_id=group_id)
    kept = await tenant.api.delete(f"/tariff-groups/{group_id}")
    assert kept.status_code == 409
    assert kept.headers["content-type"].startswith("application/problem+json")
    assert (await tenant.api.get(f"/tariff-groups/{group_id}")).status_code == 200
