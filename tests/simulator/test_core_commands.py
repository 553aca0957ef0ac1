"""Core-profile commands from the CSMS, each with its accept and reject path."""

import asyncio
from datetime import timedelta

import pytest
from ocpp.v16 import call

from chargeyard.simulator import Behaviour, ConnectorStatus, StopReason
from chargeyard.simulator.v16 import codec

from .fake_csms import FakeCsms
from .stations import online, start_charging


def status_of(csms: FakeCsms, connector_id: int) -> list[str]:
    return [
        m["status"]
        for m in csms.messages("StatusNotification")
        if m["connector_id"] == connector_id
    ]


async def test_remote_start_charges_the_parked_car(csms: FakeCsms) -> None:
    async with online(csms) as station:
        answer = await csms.send(
            "CP1", call.RemoteStartTransaction(id_tag="TAG-OK", connector_id=2)
        )
        start = (await csms.wait_for("StartTransaction"))[0]
        await csms.wait_for("StatusNotification", count=5)

        assert answer.status == "Accepted"
        assert (start["connector_id"], start["id_tag"]) == (2, "TAG-OK")
        assert [m["id_tag"] for m in csms.messages("Authorize")] == ["TAG-OK"]
        assert status_of(csms, 2) == ["Available", "Preparing", "Charging"]
        assert station.connector(2).transaction is not None


async def test_remote_start_without_a_connector_takes_a_free_one(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await start_charging(station, 1)
        answer = await csms.send("CP1", call.RemoteStartTransaction(id_tag="TAG-OK"))
        starts = await csms.wait_for("StartTransaction", count=2)

    assert answer.status == "Accepted"
    assert starts[1]["connector_id"] == 2


async def test_remote_start_skips_authorize_when_configured_so(csms: FakeCsms) -> None:
    async with online(csms) as station:
        station.configuration.change("AuthorizeRemoteTxRequests", "false")
        await csms.send("CP1", call.RemoteStartTransaction(id_tag="TAG-OK", connector_id=1))
        await csms.wait_for("StartTransaction")

    assert csms.messages("Authorize") == []


async def test_remote_start_carries_a_tx_profile_bound_to_the_new_transaction(
    csms: FakeCsms,
) -> None:
    profile = {
        "chargingProfileId": 9,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": {
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 8.0}],
        },
    }
    async with online(csms) as station:
        await csms.send(
            "CP1",
            call.RemoteStartTransaction(id_tag="TAG-OK", connector_id=1, charging_profile=profile),
        )
        start = (await csms.wait_for("StartTransaction"))[0]
        await csms.wait_for("StatusNotification", count=5)
        installed = [item.profile for item in station.charger.profiles]

    assert [(p.profile_id, p.transaction_id) for p in installed] == [(9, "1001")]
    assert start["connector_id"] == 1


@pytest.mark.parametrize(
    ("behaviour", "connector_id", "purpose"),
    [
        (Behaviour.rejecting("RemoteStartTransaction"), 1, None),
        (Behaviour(), 7, None),  # no such connector
        (Behaviour(), 1, "TxDefaultProfile"),  # a remote start may only carry a TxProfile
    ],
)
async def test_remote_start_rejected(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int, purpose: str | None
) -> None:
    profile = None
    if purpose is not None:
        profile = {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": purpose,
            "chargingProfileKind": "Relative",
            "chargingSchedule": {
                "chargingRateUnit": "W",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 5000.0}],
            },
        }
    async with online(csms, behaviour=behaviour) as station:
        answer = await csms.send(
            "CP1",
            call.RemoteStartTransaction(
                id_tag="TAG-OK", connector_id=connector_id, charging_profile=profile
            ),
        )
        await station.heartbeat()

    assert answer.status == "Rejected"
    assert csms.messages("StartTransaction") == []


async def test_remote_start_on_a_busy_connector_is_rejected(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await start_charging(station, 1)
        answer = await csms.send(
            "CP1", call.RemoteStartTransaction(id_tag="TAG-OK", connector_id=1)
        )

    assert answer.status == "Rejected"


async def test_remote_stop_ends_the_transaction(csms: FakeCsms) -> None:
    async with online(csms) as station:
        transaction_id = await start_charging(station)
        answer = await csms.send("CP1", call.RemoteStopTransaction(transaction_id=transaction_id))
        stop = (await csms.wait_for("StopTransaction"))[0]
        await csms.wait_for("StatusNotification", count=6)

    assert answer.status == "Accepted"
    assert (stop["transaction_id"], stop["reason"]) == (transaction_id, "Remote")
    assert status_of(csms, 1)[-1] == "Finishing"


@pytest.mark.parametrize("rejecting", [True, False])
async def test_remote_stop_rejected(csms: FakeCsms, rejecting: bool) -> None:
    behaviour = Behaviour.rejecting("RemoteStopTransaction") if rejecting else Behaviour()
    async with online(csms, behaviour=behaviour) as station:
        transaction_id = await start_charging(station)
        unknown = transaction_id if rejecting else transaction_id + 1
        answer = await csms.send("CP1", call.RemoteStopTransaction(transaction_id=unknown))
        await station.heartbeat()

    assert answer.status == "Rejected"
    assert csms.messages("StopTransaction") == []


@pytest.mark.parametrize(("kind", "reason"), [("Soft", "SoftReset"), ("Hard", "HardReset")])
async def test_reset_stops_sessions_and_reboots(csms: FakeCsms, kind: str, reason: str) -> None:
    async with online(csms) as station:
        await start_charging(station)
        answer = await csms.send("CP1", call.Reset(type=kind))
        stop = (await csms.wait_for("StopTransaction"))[0]
        await csms.wait_for("BootNotification", count=2)
        await csms.wait_for("StatusNotification", count=8)

        assert answer.status == "Accepted"
        assert stop["reason"] == reason
        assert station.connected
        assert station.connector(1).transaction is None
    assert status_of(csms, 1)[-1] == "Available"


async def test_reset_rejected(csms: FakeCsms) -> None:
    async with online(csms, behaviour=Behaviour.rejecting("Reset")) as station:
        answer = await csms.send("CP1", call.Reset(type="Hard"))
        await station.heartbeat()

    assert answer.status == "Rejected"
    assert len(csms.messages("BootNotification")) == 1


async def test_unlock_stops_the_transaction_and_frees_the_connector(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await start_charging(station)
        answer = await csms.send("CP1", call.UnlockConnector(connector_id=1))
        stop = (await csms.wait_for("StopTransaction"))[0]
        await csms.wait_for("StatusNotification", count=7)

    assert answer.status == "Unlocked"
    assert stop["reason"] == "UnlockCommand"
    assert status_of(csms, 1)[-2:] == ["Finishing", "Available"]


@pytest.mark.parametrize(
    ("behaviour", "connector_id", "expected"),
    [
        (Behaviour.rejecting("UnlockConnector"), 1, "UnlockFailed"),
        (Behaviour(), 5, "NotSupported"),
    ],
)
async def test_unlock_refused(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int, expected: str
) -> None:
    async with online(csms, behaviour=behaviour):
        answer = await csms.send("CP1", call.UnlockConnector(connector_id=connector_id))

    assert answer.status == expected


async def test_change_availability_of_a_free_connector(csms: FakeCsms) -> None:
    async with online(csms) as station:
        answer = await csms.send("CP1", call.ChangeAvailability(connector_id=2, type="Inoperative"))
        await csms.wait_for("StatusNotification", count=4)
        assert station.connector(2).status is ConnectorStatus.UNAVAILABLE

        back = await csms.send("CP1", call.ChangeAvailability(connector_id=2, type="Operative"))
        await csms.wait_for("StatusNotification", count=5)

    assert (answer.status, back.status) == ("Accepted", "Accepted")
    assert status_of(csms, 2) == ["Available", "Unavailable", "Available"]


async def test_change_availability_waits_for_the_running_session(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await start_charging(station, 1)
        answer = await csms.send("CP1", call.ChangeAvailability(connector_id=0, type="Inoperative"))
        await csms.wait_for("StatusNotification", count=7)
        assert station.connector(1).status is ConnectorStatus.CHARGING

        await station.end_transaction(1, StopReason.LOCAL)
        await station.unplug(1)

    assert answer.status == "Scheduled"
    assert status_of(csms, 0)[-1] == "Unavailable"
    assert status_of(csms, 2)[-1] == "Unavailable"
    assert status_of(csms, 1)[-2:] == ["Finishing", "Unavailable"]


@pytest.mark.parametrize(
    ("behaviour", "connector_id"),
    [(Behaviour.rejecting("ChangeAvailability"), 1), (Behaviour(), 3)],
)
async def test_change_availability_rejected(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int
) -> None:
    async with online(csms, behaviour=behaviour) as station:
        answer = await csms.send(
            "CP1", call.ChangeAvailability(connector_id=connector_id, type="Inoperative")
        )
        assert station.connector(1).operative

    assert answer.status == "Rejected"


async def test_get_configuration(csms: FakeCsms) -> None:
    async with online(csms, meter_interval=15):
        everything = await csms.send("CP1", call.GetConfiguration())
        some = await csms.send(
            "CP1", call.GetConfiguration(key=["MeterValueSampleInterval", "NoSuchKey"])
        )

    keys = {item["key"]: item for item in everything.configuration_key}
    assert {"HeartbeatInterval", "NumberOfConnectors", "AuthorizeRemoteTxRequests"} <= set(keys)
    assert keys["NumberOfConnectors"] == {
        "key": "NumberOfConnectors",
        "readonly": True,
        "value": "2",
    }
    assert some.configuration_key == [
        {"key": "MeterValueSampleInterval", "readonly": False, "value": "15"}
    ]
    assert some.unknown_key == ["NoSuchKey"]


async def test_get_configuration_refused_reports_every_key_unknown(csms: FakeCsms) -> None:
    async with online(csms, behaviour=Behaviour.rejecting("GetConfiguration")):
        answer = await csms.send("CP1", call.GetConfiguration(key=["HeartbeatInterval"]))

    assert (answer.configuration_key, answer.unknown_key) == ([], ["HeartbeatInterval"])


@pytest.mark.parametrize(
    ("behaviour", "key", "value", "expected"),
    [
        (Behaviour(), "HeartbeatInterval", "30", "Accepted"),
        (Behaviour(), "NumberOfConnectors", "8", "Rejected"),
        (Behaviour(), "HeartbeatInterval", "often", "Rejected"),
        (Behaviour(), "Colour", "blue", "NotSupported"),
        (Behaviour.rejecting("ChangeConfiguration"), "HeartbeatInterval", "30", "Rejected"),
    ],
)
async def test_change_configuration(
    csms: FakeCsms, behaviour: Behaviour, key: str, value: str, expected: str
) -> None:
    async with online(csms, behaviour=behaviour) as station:
        answer = await csms.send("CP1", call.ChangeConfiguration(key=key, value=value))
        interval = station.heartbeat_interval

    assert answer.status == expected
    assert interval == (30 if expected == "Accepted" else 300)


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [(Behaviour(), "Accepted"), (Behaviour.rejecting("ClearCache"), "Rejected")],
)
async def test_clear_cache(csms: FakeCsms, behaviour: Behaviour, expected: str) -> None:
    async with online(csms, behaviour=behaviour) as station:
        await station.authorize("TAG-OK")
        answer = await csms.send("CP1", call.ClearCache())
        cached = set(station.auth_cache)

    assert answer.status == expected
    assert cached == (set() if expected == "Accepted" else {"TAG-OK"})


@pytest.mark.parametrize(
    ("behaviour", "vendor", "expected", "data"),
    [
        (Behaviour(), "Chargeyard", "Accepted", "ping"),
        (Behaviour(), "OtherCo", "UnknownVendorId", None),
        (Behaviour.rejecting("DataTransfer"), "Chargeyard", "Rejected", None),
    ],
)
async def test_data_transfer(
    csms: FakeCsms, behaviour: Behaviour, vendor: str, expected: str, data: str | None
) -> None:
    async with online(csms, behaviour=behaviour):
        answer = await csms.send("CP1", call.DataTransfer(vendor_id=vendor, data="ping"))

    assert (answer.status, answer.data) == (expected, data)


async def test_an_unsupported_command_gets_a_not_implemented_error(csms: FakeCsms) -> None:
    async with online(csms, behaviour=Behaviour(unsupported=frozenset({"ClearCache"}))):
        with pytest.raises(Exception, match="NotImplemented"):
            await csms.sessions["CP1"].call(call.ClearCache(), suppress=False)


async def test_commands_are_counted(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await csms.send("CP1", call.ClearCache())
        await csms.send("CP1", call.GetConfiguration())
        await asyncio.sleep(0)

        assert station.commands_received == 2


async def test_remote_start_uses_the_car_already_waiting(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await station.status(1, "Preparing")  # the CSMS saw a car arrive
        answer = await csms.send(
            "CP1", call.RemoteStartTransaction(id_tag="TAG-OK", connector_id=1)
        )
        await csms.wait_for("StartTransaction")
        await csms.wait_for("StatusNotification", count=5)

    assert answer.status == "Accepted"
    assert status_of(csms, 1) == ["Available", "Preparing", "Charging"]


@pytest.mark.parametrize(("id_tag", "expected"), [("TAG-OK", "Accepted"), ("OTHER", "Rejected")])
async def test_remote_start_on_a_reserved_connector_only_for_its_tag(
    csms: FakeCsms, id_tag: str, expected: str
) -> None:
    async with online(csms) as station:
        expiry = codec.timestamp(station.clock.now() + timedelta(hours=1))
        await csms.send(
            "CP1",
            call.ReserveNow(connector_id=1, expiry_date=expiry, id_tag="TAG-OK", reservation_id=3),
        )
        answer = await csms.send("CP1", call.RemoteStartTransaction(id_tag=id_tag, connector_id=1))
        if expected == "Accepted":
            start = (await csms.wait_for("StartTransaction"))[0]
            assert start["reservation_id"] == 3

    assert answer.status == expected
