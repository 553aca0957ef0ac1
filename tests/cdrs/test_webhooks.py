"""Billing events reach webhook subscribers like every other event."""

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, run_session
from tests.webhooks.conftest import Verify, subscribe
from tests.webhooks.receiver import Receiver


async def test_cdr_and_cost_events_are_delivered(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url, ["cdr.*", "session.cost_updated"])
    stations = Stations(hooks)
    station_id = await priced_station(hooks, stations, await create_tariff(hooks))
    tx_id = await run_session(stations, station_id, await add_tag(hooks))
    await receiver.wait_for(lambda: len(receiver.delivered("cdr.created")) == 1)
    [cdr] = receiver.delivered("cdr.created")
    assert verify(sub["secret"], cdr.headers, cdr.body)
    assert cdr.json["transaction_id"] == tx_id
    assert cdr.json["data"]["total_incl_tax"] == "4.80"
    costs = receiver.delivered("session.cost_updated")
    assert costs and costs[-1].json["data"]["final"] is True
