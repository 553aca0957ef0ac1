"""SimulatedStation's own messages against a loopback CSMS."""

import asyncio
import base64

import pytest
from ocpp.v16.enums import AuthorizationStatus, DataTransferStatus, RegistrationStatus

from chargeyard.simulator import (
    CallLog,
    CallOutcome,
    ConnectFailed,
    ConnectorStatus,
    ManualClock,
    SimulatedStation,
    StationOffline,
    StopReason,
)
from chargeyard.simulator.connector import TransactionId
from chargeyard.simulator.meter_reading import MeterReading

from .fake_csms import FakeCsms
from .stations import online, start_charging


async def test_boot_is_accepted_and_the_interval_becomes_the_heartbeat_interval(
    csms: FakeCsms,
) -> None:
    csms.settings.boot_interval = 42
    async with SimulatedStation(csms.url, "CP1", model="Wallbox X", vendor="ACME") as station:
        status = await station.boot()

        assert status is RegistrationStatus.accepted
        assert station.heartbeat_interval == 42
        assert station.configuration.integer("HeartbeatInterval") == 42
    boot = csms.messages("BootNotification")[0]
    assert (boot["charge_point_vendor"], boot["charge_point_model"]) == ("ACME", "Wallbox X")


async def test_a_pending_boot_is_retried_after_the_interval_the_csms_gave(
    csms: FakeCsms,
) -> None:
    csms.settings.boot_status, csms.settings.boot_interval = "Pending", 30
    clock = ManualClock()
    station = SimulatedStation(csms.url, "CP1", clock=clock)
    online = asyncio.create_task(station.ensure_online())
    await csms.wait_for("BootNotification")
    await clock.wait_for_sleepers()
    csms.settings.boot_status = "Accepted"
    clock.advance(29)
    await asyncio.sleep(0.02)
    assert len(csms.messages("BootNotification")) == 1

    clock.advance(1)

    assert await online
    assert len(csms.messages("BootNotification")) == 2
    assert len(csms.messages("StatusNotification")) == 3  # station + two connectors
    await station.close()


async def test_the_password_is_sent_as_http_basic_auth(csms: FakeCsms) -> None:
    csms.settings.password = "a-very-secret-password"
    async with SimulatedStation(csms.url, "CP1", password="a-very-secret-password") as station:
        assert await station.boot() is RegistrationStatus.accepted

    expected = base64.b64encode(b"CP1:a-very-secret-password").decode()
    assert csms.headers["CP1"] == f"Basic {expected}"


async def test_a_wrong_password_fails_to_connect(csms: FakeCsms) -> None:
    csms.settings.password = "a-very-secret-password"
    station = SimulatedStation(csms.url, "CP1", password="not-the-right-one")

    with pytest.raises(ConnectFailed, match="401"):
        await station.connect()
    assert not await station.ensure_online()


async def test_messages_and_their_answers(csms: FakeCsms) -> None:
    async with SimulatedStation(csms.url, "CP1") as station:
        await station.boot()
        await station.status(2, "Faulted", error_code="GroundFailure")
        assert station.connector(2).status is ConnectorStatus.FAULTED
        assert (await station.authorize("TAG-OK")).accepted
        assert (await station.authorize("STOLEN")).status is AuthorizationStatus.invalid
        answer = await station.data_transfer("ACME", "ping", "hello")
        assert (answer.status, answer.data) == (DataTransferStatus.accepted, "hello")
        assert (await station.heartbeat()).tzinfo is not None

    status = csms.messages("StatusNotification")[0]
    assert (status["connector_id"], status["status"], status["error_code"]) == (
        2,
        "Faulted",
        "GroundFailure",
    )


async def test_a_transaction_message_by_message(csms: FakeCsms) -> None:
    clock = ManualClock()
    async with SimulatedStation(csms.url, "CP1", clock=clock) as station:
        await station.boot()
        started = await station.start_transaction(1, "TAG-OK", meter_start=1500)
        assert started.id_tag_info.accepted
        tx = station.connector(1).transaction
        assert tx is not None and tx.transaction_id == TransactionId(str(started.transaction_id))

        reading = MeterReading(clock.now(), 2500, 7200.0, (10.4, 10.4, 10.4), 230.0, 55)
        await station.send_meter_values(1, started.transaction_id, reading)
        info = await station.stop_transaction(
            started.transaction_id, 2600, StopReason.EV_DISCONNECTED, [reading]
        )

        assert info is not None and info.accepted
        assert station.connector(1).transaction is None

    sampled = csms.messages("MeterValues")[0]["meter_value"][0]["sampled_value"]
    values = {(s["measurand"], s.get("phase")): (s["value"], s["unit"]) for s in sampled}
    assert values[("Energy.Active.Import.Register", None)] == ("2500", "Wh")
    assert values[("Power.Active.Import", None)] == ("7200.0", "W")
    assert values[("Current.Import", "L3")] == ("10.40", "A")
    assert values[("SoC", None)] == ("55", "Percent")
    stop = csms.messages("StopTransaction")[0]
    assert (stop["meter_stop"], stop["reason"]) == (2600, "EVDisconnected")
    assert stop["transaction_data"][0]["sampled_value"][0]["context"] == "Transaction.End"


async def test_every_call_is_logged_with_its_latency(csms: FakeCsms) -> None:
    log = CallLog()
    async with online(csms, recorder=log) as station:
        await station.heartbeat()

    assert log.actions()[:2] == ["BootNotification", "StatusNotification"]
    assert log.actions()[-1] == "Heartbeat"
    assert all(r.outcome is CallOutcome.ANSWERED for r in log.records)
    assert all(r.latency_s is not None and 0 < r.latency_s < 1 for r in log.records)


async def test_calls_fail_fast_when_the_csms_drops_the_station(csms: FakeCsms) -> None:
    async with online(csms) as station:
        await csms.drop("CP1")
        await asyncio.wait_for(station.wait_disconnected(), 30)

        with pytest.raises(StationOffline):
            await station.heartbeat()
        assert not station.connected


async def test_a_stop_that_could_not_be_sent_is_resent_after_reconnecting(
    csms: FakeCsms,
) -> None:
    async with online(csms) as station:
        transaction_id = await start_charging(station)
        await csms.drop("CP1")
        await station.wait_disconnected()

        await station.end_transaction(1, StopReason.LOCAL)
        assert csms.messages("StopTransaction") == []

        assert await station.ensure_online()
        stops = await csms.wait_for("StopTransaction")
    assert stops[0]["transaction_id"] == transaction_id
