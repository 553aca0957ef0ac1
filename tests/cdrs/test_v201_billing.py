"""A 2.0.1 session is costed from its TransactionEvents: charging time while `chargingState` is
Charging, parking time once it is SuspendedEV, with step sizes on each; the station is told the
cost in the TransactionEvent response's `totalCost`."""

from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant
from tests.protocol.v201.conftest import V2Stations, meter, sampled, tx_event
from tests.support.billing import create_tariff, priced_station, stamp

TIME_AND_PARKING = [
    {
        "price_components": [
            {"type": "TIME", "price": "3.00", "step_size": 60},
            {"type": "PARKING_TIME", "price": "5.00", "step_size": 300},
        ]
    }
]


async def test_charging_and_parking_time_from_transaction_events(
    tenant: Tenant, v2: V2Stations
) -> None:
    tariff_id = await create_tariff(tenant, tax_rate=None, elements=TIME_AND_PARKING)
    station_id = await priced_station(tenant, v2, tariff_id)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)

    def at(minutes: int) -> str:
        return stamp(start + timedelta(minutes=minutes))

    async with v2.booted_v2(station_id) as station:
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Started",
                "TX-1",
                0,
                at(0),
                evse={"id": 1, "connectorId": 1},
                meterValue=meter(at(0), sampled(0, "Transaction.Begin")),
                info={"chargingState": "Charging"},
            ),
        )
        running = await station.ok(
            "TransactionEvent",
            tx_event(
                "Updated",
                "TX-1",
                1,
                at(30),
                trigger="ChargingStateChanged",
                meterValue=meter(at(30), sampled(7000)),
                info={"chargingState": "SuspendedEV"},
            ),
        )
        assert running["totalCost"] == 1.5  # the running cost: 30 minutes charging
        ended = await station.ok(
            "TransactionEvent",
            tx_event(
                "Ended",
                "TX-1",
                2,
                at(42),
                trigger="EVDeparted",
                meterValue=meter(at(42), sampled(7000, "Transaction.End")),
                info={"stoppedReason": "EVDisconnected"},
            ),
        )
    assert ended["totalCost"] == 2.75  # the station is told the final cost
    [tx] = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()[
        "items"
    ]
    # 30 minutes charging at 3.00/h = 1.50; 12 minutes parked, billed as 15 at 5.00/h = 1.25.
    assert tx["cost"] == {
        "currency": "EUR",
        "excl_tax": "2.75",
        "incl_tax": "2.75",
        "final": True,
        "tariff_id": tariff_id,
        "tariff_version": 1,
    }
    [cdr] = (await tenant.api.get("/cdrs", params={"transaction_id": tx["id"]})).json()["items"]
    assert cdr["document"]["total_parking_time"] == "0.200000"
    assert cdr["document"]["total_parking_cost"] == {"excl_vat": "1.25", "incl_vat": "1.25"}
