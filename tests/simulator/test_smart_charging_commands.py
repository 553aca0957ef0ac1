"""Smart-charging commands from the CSMS, and the limits the station then obeys."""

from decimal import Decimal
from typing import Any

import pytest
from ocpp.v16 import call

from chargeyard.simulator import Behaviour, ManualClock

from .fake_csms import FakeCsms
from .stations import online, start_charging


def profile(
    purpose: str = "TxDefaultProfile",
    limit: float = 16.0,
    *,
    profile_id: int = 1,
    stack_level: int = 0,
    unit: str = "A",
    transaction_id: int | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "chargingProfileId": profile_id,
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Relative",
        "chargingSchedule": {
            "chargingRateUnit": unit,
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
        },
    }
    if transaction_id is not None:
        payload["transactionId"] = transaction_id
    return payload


async def test_a_tx_profile_limits_the_running_session(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with online(csms, clock=clock) as station:
        transaction_id = await start_charging(station)  # 11 kW car on a 22 kW connector
        answer = await csms.send(
            "CP1",
            call.SetChargingProfile(
                connector_id=1,
                cs_charging_profiles=profile("TxProfile", 8.0, transaction_id=transaction_id),
            ),
        )
        clock.advance(600)
        await station.report_meter(1)
        connector = station.connector(1)

        assert answer.status == "Accepted"
        assert connector.power_w == pytest.approx(8 * 230 * 3)
        assert connector.meter_wh == round(8 * 690 / 6)


async def test_a_zero_limit_suspends_at_once_and_clearing_it_resumes(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await start_charging(station)
        await csms.send(
            "CP1", call.SetChargingProfile(connector_id=0, cs_charging_profiles=profile(limit=0.0))
        )
        await csms.wait_for("StatusNotification", count=6)
        cleared = await csms.send("CP1", call.ClearChargingProfile(id=1))
        statuses = await csms.wait_for("StatusNotification", count=7)

    assert cleared.status == "Accepted"
    assert [s["status"] for s in statuses[-3:]] == ["Charging", "SuspendedEVSE", "Charging"]


@pytest.mark.parametrize(
    ("behaviour", "connector_id", "payload"),
    [
        (Behaviour.rejecting("SetChargingProfile"), 1, profile()),
        (Behaviour(), 1, profile("TxProfile")),  # no transaction on connector 1
        (Behaviour(), 1, profile("ChargePointMaxProfile")),  # belongs on connector 0
        (Behaviour(), 0, profile("TxProfile")),
        (Behaviour(), 4, profile()),  # no such connector
        (Behaviour(), 1, profile(stack_level=11)),  # above ChargeProfileMaxStackLevel
    ],
)
async def test_set_charging_profile_rejected(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int, payload: dict[str, Any]
) -> None:
    async with online(csms, behaviour=behaviour) as station:
        answer = await csms.send(
            "CP1", call.SetChargingProfile(connector_id=connector_id, cs_charging_profiles=payload)
        )

        assert answer.status == "Rejected"
        assert len(station.charger.profiles) == 0


async def test_clear_charging_profile_by_criteria(csms: FakeCsms) -> None:
    async with online(csms) as station:
        for profile_id, connector_id in ((1, 1), (2, 2), (3, 0)):
            payload = profile(profile_id=profile_id)
            await csms.send(
                "CP1",
                call.SetChargingProfile(connector_id=connector_id, cs_charging_profiles=payload),
            )
        answer = await csms.send("CP1", call.ClearChargingProfile(connector_id=2))
        nothing = await csms.send("CP1", call.ClearChargingProfile(id=99))
        left = sorted(item.profile.profile_id for item in station.charger.profiles)

    assert (answer.status, nothing.status) == ("Accepted", "Unknown")
    assert left == [1, 3]


async def test_clear_charging_profile_refused(csms: FakeCsms) -> None:
    async with online(csms, behaviour=Behaviour.rejecting("ClearChargingProfile")) as station:
        await csms.send(
            "CP1", call.SetChargingProfile(connector_id=1, cs_charging_profiles=profile())
        )
        answer = await csms.send("CP1", call.ClearChargingProfile(id=1))

        assert answer.status == "Unknown"
        assert len(station.charger.profiles) == 1


async def test_composite_schedule_combines_station_and_connector_limits(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await csms.send(
            "CP1",
            call.SetChargingProfile(
                connector_id=0,
                cs_charging_profiles=profile(
                    "ChargePointMaxProfile", 6000.0, unit="W", profile_id=2
                ),
            ),
        )
        await csms.send(
            "CP1", call.SetChargingProfile(connector_id=1, cs_charging_profiles=profile())
        )
        in_amps = await csms.send("CP1", call.GetCompositeSchedule(connector_id=1, duration=3600))
        in_watts = await csms.send(
            "CP1", call.GetCompositeSchedule(connector_id=1, duration=600, charging_rate_unit="W")
        )
        assert station.connector(1).transaction is None

    assert (in_amps.status, in_amps.connector_id) == ("Accepted", 1)
    schedule = in_amps.charging_schedule
    assert schedule["charging_rate_unit"] == "A"
    assert schedule["duration"] == 3600
    assert schedule["charging_schedule_period"] == [
        {"start_period": 0, "limit": Decimal("8.7"), "number_phases": 3}  # 6 kW over 3 x 230 V
    ]
    assert in_watts.charging_schedule["charging_schedule_period"] == [
        {"start_period": 0, "limit": 6000.0}
    ]


@pytest.mark.parametrize(
    ("behaviour", "connector_id"),
    [(Behaviour.rejecting("GetCompositeSchedule"), 1), (Behaviour(), 9)],
)
async def test_composite_schedule_rejected(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int
) -> None:
    async with online(csms, behaviour=behaviour):
        answer = await csms.send(
            "CP1", call.GetCompositeSchedule(connector_id=connector_id, duration=60)
        )

    assert answer.status == "Rejected"
    assert answer.charging_schedule is None
