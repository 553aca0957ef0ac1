"""Firmware, diagnostics, local list, reservation and trigger commands from the CSMS."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from ocpp.v16 import call

from chargeyard.simulator import Behaviour, ConnectorStatus, ManualClock
from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.v16.codec import timestamp

from .fake_csms import FakeCsms
from .stations import online, start_charging

QUICK = Behaviour(step_delay_s=0)


def statuses(csms: FakeCsms, action: str) -> list[str]:
    return [m["status"] for m in csms.messages(action)]


async def test_update_firmware_reports_each_step(csms: FakeCsms) -> None:
    async with online(csms, behaviour=QUICK) as station:
        when = timestamp(station.clock.now() - timedelta(seconds=1))
        answer = await csms.send(
            "CP1", call.UpdateFirmware(location="ftp://fw/2.0.bin", retrieve_date=when)
        )
        await csms.wait_for("FirmwareStatusNotification", count=4)

    assert answer is not None
    assert statuses(csms, "FirmwareStatusNotification") == [
        "Downloading",
        "Downloaded",
        "Installing",
        "Installed",
    ]


async def test_update_firmware_waits_for_the_retrieve_date(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with online(csms, behaviour=QUICK, clock=clock):
        when = timestamp(clock.now() + timedelta(hours=2))
        await csms.send("CP1", call.UpdateFirmware(location="ftp://fw/2.0.bin", retrieve_date=when))
        await clock.wait_for_sleepers()
        assert csms.messages("FirmwareStatusNotification") == []

        clock.advance(7200)
        await csms.wait_for("FirmwareStatusNotification", count=4)


async def test_a_refused_firmware_update_fails_to_download(csms: FakeCsms) -> None:
    behaviour = Behaviour.rejecting("UpdateFirmware", step_delay_s=0)
    async with online(csms, behaviour=behaviour):
        when = timestamp(datetime.now(UTC))
        await csms.send("CP1", call.UpdateFirmware(location="ftp://fw/2.0.bin", retrieve_date=when))
        await csms.wait_for("FirmwareStatusNotification", count=2)

    assert statuses(csms, "FirmwareStatusNotification") == ["Downloading", "DownloadFailed"]


@pytest.mark.parametrize(("rejecting", "outcome"), [(False, "Uploaded"), (True, "UploadFailed")])
async def test_get_diagnostics(csms: FakeCsms, rejecting: bool, outcome: str) -> None:
    behaviour = Behaviour.rejecting("GetDiagnostics", step_delay_s=0) if rejecting else QUICK
    async with online(csms, behaviour=behaviour):
        answer = await csms.send("CP1", call.GetDiagnostics(location="ftp://logs/"))
        await csms.wait_for("DiagnosticsStatusNotification", count=2)

    assert answer.file_name.startswith("CP1-") and answer.file_name.endswith(".log")
    assert statuses(csms, "DiagnosticsStatusNotification") == ["Uploading", outcome]


def entries(*tags: tuple[str, str | None]) -> list[dict[str, object]]:
    return [
        {"idTag": tag} if status is None else {"idTag": tag, "idTagInfo": {"status": status}}
        for tag, status in tags
    ]


async def test_local_list_full_then_differential(csms: FakeCsms) -> None:
    async with online(csms) as station:
        full = await csms.send(
            "CP1",
            call.SendLocalList(
                list_version=3,
                update_type="Full",
                local_authorization_list=entries(("A", "Accepted"), ("B", "Blocked")),
            ),
        )
        diff = await csms.send(
            "CP1",
            call.SendLocalList(
                list_version=4,
                update_type="Differential",
                local_authorization_list=entries(("B", None), ("C", "Accepted")),
            ),
        )
        stale = await csms.send(
            "CP1", call.SendLocalList(list_version=4, update_type="Differential")
        )
        version = await csms.send("CP1", call.GetLocalListVersion())

        assert station.local_list.entries == {"A": "Accepted", "C": "Accepted"}
    assert (full.status, diff.status, stale.status) == ("Accepted", "Accepted", "VersionMismatch")
    assert version.list_version == 4


async def test_local_list_refused(csms: FakeCsms) -> None:
    behaviour = Behaviour.rejecting("SendLocalList", "GetLocalListVersion")
    async with online(csms, behaviour=behaviour):
        answer = await csms.send("CP1", call.SendLocalList(list_version=1, update_type="Full"))
        version = await csms.send("CP1", call.GetLocalListVersion())

    assert (answer.status, version.list_version) == ("Failed", -1)


async def test_local_list_disabled_is_not_supported(csms: FakeCsms) -> None:
    async with online(csms) as station:
        station.configuration.change("LocalAuthListEnabled", "false")
        answer = await csms.send("CP1", call.SendLocalList(list_version=1, update_type="Full"))

    assert answer.status == "NotSupported"


async def test_a_locally_listed_tag_needs_no_authorize(csms: FakeCsms) -> None:
    async with online(csms) as station:
        station.configuration.change("LocalPreAuthorize", "true")
        station.local_list.replace(1, {"LOCAL-TAG": "Accepted"})
        await station.plug_in(1)
        await station.begin_transaction(1, "LOCAL-TAG", EVBattery(MID_SIZE_EV, 0.5))

    assert csms.messages("Authorize") == []
    assert csms.messages("StartTransaction")[0]["id_tag"] == "LOCAL-TAG"


async def test_a_reservation_holds_the_connector_for_its_tag(csms: FakeCsms) -> None:
    async with online(csms) as station:
        expiry = timestamp(station.clock.now() + timedelta(hours=1))
        answer = await csms.send(
            "CP1",
            call.ReserveNow(connector_id=2, expiry_date=expiry, id_tag="TAG-OK", reservation_id=77),
        )
        await csms.wait_for("StatusNotification", count=4)
        assert station.connector(2).status is ConnectorStatus.RESERVED

        await station.plug_in(2)
        assert await station.begin_transaction(2, "TAG-OK", EVBattery(MID_SIZE_EV, 0.5))

    assert answer.status == "Accepted"
    assert csms.messages("StartTransaction")[0]["reservation_id"] == 77
    assert station.connector(2).reservation is None


async def test_an_unused_reservation_expires(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with online(csms, clock=clock) as station:
        expiry = timestamp(clock.now() + timedelta(minutes=15))
        await csms.send(
            "CP1", call.ReserveNow(connector_id=1, expiry_date=expiry, id_tag="X", reservation_id=5)
        )
        await clock.wait_for_sleepers()
        clock.advance(15 * 60)
        await csms.wait_for("StatusNotification", count=5)

        assert station.connector(1).reservation is None
    assert [m["status"] for m in csms.messages("StatusNotification")][-2:] == [
        "Reserved",
        "Available",
    ]


async def test_cancel_reservation(csms: FakeCsms) -> None:
    async with online(csms) as station:
        expiry = timestamp(station.clock.now() + timedelta(hours=1))
        await csms.send(
            "CP1", call.ReserveNow(connector_id=1, expiry_date=expiry, id_tag="X", reservation_id=5)
        )
        cancelled = await csms.send("CP1", call.CancelReservation(reservation_id=5))
        unknown = await csms.send("CP1", call.CancelReservation(reservation_id=6))
        await csms.wait_for("StatusNotification", count=5)

    assert (cancelled.status, unknown.status) == ("Accepted", "Rejected")
    assert [m["status"] for m in csms.messages("StatusNotification")][-1] == "Available"


@pytest.mark.parametrize(
    ("behaviour", "connector_id", "charging", "expected"),
    [
        (Behaviour.rejecting("ReserveNow"), 1, False, "Rejected"),
        (Behaviour(), 0, False, "Rejected"),  # ReserveConnectorZeroSupported is false
        (Behaviour(), 1, True, "Occupied"),
    ],
)
async def test_reserve_now_refused(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int, charging: bool, expected: str
) -> None:
    async with online(csms, behaviour=behaviour) as station:
        if charging:
            await start_charging(station)
        expiry = timestamp(station.clock.now() + timedelta(hours=1))
        answer = await csms.send(
            "CP1",
            call.ReserveNow(
                connector_id=connector_id, expiry_date=expiry, id_tag="X", reservation_id=1
            ),
        )

    assert answer.status == expected


async def test_an_inoperative_connector_cannot_be_reserved(csms: FakeCsms) -> None:
    async with online(csms) as station:
        station.charger.set_availability(1, operative=False)
        expiry = timestamp(station.clock.now() + timedelta(hours=1))
        answer = await csms.send(
            "CP1", call.ReserveNow(connector_id=1, expiry_date=expiry, id_tag="X", reservation_id=1)
        )

    assert answer.status == "Unavailable"


@pytest.mark.parametrize(
    ("message", "connector_id", "expected_action", "count"),
    [
        ("BootNotification", None, "BootNotification", 2),
        ("Heartbeat", None, "Heartbeat", 1),
        ("StatusNotification", None, "StatusNotification", 6),
        ("StatusNotification", 2, "StatusNotification", 4),
        ("MeterValues", 1, "MeterValues", 1),
        ("FirmwareStatusNotification", None, "FirmwareStatusNotification", 1),
        ("DiagnosticsStatusNotification", None, "DiagnosticsStatusNotification", 1),
    ],
)
async def test_trigger_message_sends_the_message_after_answering(
    csms: FakeCsms, message: str, connector_id: int | None, expected_action: str, count: int
) -> None:
    async with online(csms):
        answer = await csms.send(
            "CP1", call.TriggerMessage(requested_message=message, connector_id=connector_id)
        )
        sent = await csms.wait_for(expected_action, count=count)

    assert answer.status == "Accepted"
    assert len(sent) == count
    if message == "MeterValues":
        sampled = sent[0]["meter_value"][0]["sampled_value"]
        assert {s["context"] for s in sampled} == {"Trigger"}
    if message == "FirmwareStatusNotification":
        assert sent[0]["status"] == "Idle"


@pytest.mark.parametrize(
    ("behaviour", "connector_id"), [(Behaviour.rejecting("TriggerMessage"), None), (Behaviour(), 3)]
)
async def test_trigger_message_rejected(
    csms: FakeCsms, behaviour: Behaviour, connector_id: int | None
) -> None:
    async with online(csms, behaviour=behaviour):
        answer = await csms.send(
            "CP1", call.TriggerMessage(requested_message="Heartbeat", connector_id=connector_id)
        )
        await asyncio.sleep(0.05)

    assert answer.status == "Rejected"
    assert csms.messages("Heartbeat") == []
