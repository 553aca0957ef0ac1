"""`SimulatedStationV201`: an OCPP 2.0.1 (or, subclassed, 2.1) station simulated in-process.

It offers the `simulator.station.Station` operations, rendered the 2.x way: a transaction is a
sequence of TransactionEvents (Started, Updated..., Ended) numbered by seqNo, connectors are
EVSE n / connector 1, and the station describes its device model with a NotifyReport after
each accepted boot. Transaction events that cannot be delivered (the CSMS is unreachable) are
queued, flagged `offline`, and replayed in order once the station is back online. CSMS commands
are answered by `v201_session.StationSession` (one per connection) from the state kept here:
the device model, local list, display messages, certificates, firmware and log status.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from typing import Any

from ocpp import v21
from ocpp.v201 import call

from chargeyard.simulator.battery import EVBattery
from chargeyard.simulator.charging_profile import ChargingProfile
from chargeyard.simulator.connection import OcppSession, TimedSocket
from chargeyard.simulator.connector import (
    Connector,
    ConnectorStatus,
    StopReason,
    Transaction,
    TransactionId,
)
from chargeyard.simulator.device_model import DeviceModel
from chargeyard.simulator.errors import CallTimedOut, StationOffline
from chargeyard.simulator.meter_reading import MeterReading
from chargeyard.simulator.station import StationBase
from chargeyard.simulator.v16.codec import parse_timestamp, timestamp
from chargeyard.simulator.v201_session import StationSession, StationSessionV21
from chargeyard.simulator.v201_smart_charging import parse_profile

_STATUS_V2 = {
    ConnectorStatus.AVAILABLE: "Available",
    ConnectorStatus.RESERVED: "Reserved",
    ConnectorStatus.UNAVAILABLE: "Unavailable",
    ConnectorStatus.FAULTED: "Faulted",
}
"""1.6's nine states fold into 2.0.1's five: every other state is Occupied."""
_STOPPED_REASON = {StopReason.HARD_RESET: "ImmediateReset", StopReason.SOFT_RESET: "Reboot"}
"""1.6 stop reasons 2.0.1 spells differently; the others are spelled alike."""
_STOP_TRIGGER = {
    StopReason.LOCAL: "StopAuthorized",
    StopReason.REMOTE: "RemoteStop",
    StopReason.HARD_RESET: "ResetCommand",
    StopReason.SOFT_RESET: "ResetCommand",
    StopReason.DE_AUTHORIZED: "Deauthorized",
}
"""What ended a transaction, as a TransactionEvent's triggerReason."""


def meter_value(reading: MeterReading, context: str) -> dict[str, Any]:
    return {
        "timestamp": timestamp(reading.timestamp),
        "sampled_value": [
            {"value": reading.energy_wh, "context": context},
            {
                "value": reading.power_w,
                "context": context,
                "measurand": "Power.Active.Import",
                "unit_of_measure": {"unit": "W"},
            },
        ],
    }


class SimulatedStationV201(StationBase):
    subprotocol = "ocpp2.0.1"
    call_module: Any = call
    session_class: Any = StationSession
    monitor_fields: dict[str, Any] = {}  # what a version adds to each reported monitor

    def _configure(self, heartbeat_interval: int, meter_interval: int) -> None:
        self.device_model = self._describe(heartbeat_interval, meter_interval)
        self.queued: list[dict[str, Any]] = []
        self._seq = itertools.count()
        self._report_ids = itertools.count(1)
        self.monitors_per_report = 20  # monitors in one NotifyMonitoringReport part
        self._event_ids = itertools.count(1)
        self.auth_cache: set[str] = set()
        self.firmware_status, self.log_status = "Idle", "Idle"
        self.firmware_request_id: int | None = None
        self.log_request_id: int | None = None
        self.display_messages: dict[int, dict[str, Any]] = {}
        self.certificates: dict[str, dict[str, Any]] = {}  # serial number → certificate id
        self.remote_start_ids: dict[int, int] = {}  # connector → the remote start it awaits
        self.profile_payloads: dict[int, tuple[int, dict[str, Any]]] = {}  # as received
        self.profile_sources: dict[int, str] = {}  # profile id → its external system
        self.reset_when_idle = False
        self.problems: dict[int, tuple[str, str | None]] = {}
        """Connector → the fault it has (`techCode`, `techInfo`): reported again after every
        boot while it lasts; a test removes one to have a reboot fix it."""

    def _describe(self, heartbeat_interval: int, meter_interval: int) -> DeviceModel:
        """The device model: itself, its intervals, each EVSE and connector."""
        model = DeviceModel()
        model.define("ChargingStation", "Model", self.model, "ReadOnly")
        model.define("OCPPCommCtrlr", "HeartbeatInterval", str(heartbeat_interval))
        model.define("SampledDataCtrlr", "TxUpdatedInterval", str(meter_interval))
        for connector in self.charger.connectors.values():
            evse_id = connector.connector_id
            power = str(round(connector.rating.max_power_w))
            model.define("EVSE", "Power", power, "ReadOnly", evse_id=evse_id)
            model.define(
                "Connector", "ConnectorType", "cType2", "ReadOnly", evse_id=evse_id, connector_id=1
            )
        return model

    def _interval(self, component: str, variable: str) -> float:
        value = self.device_model.value(component, variable) or "0"
        return max(1, int(value)) if value.isdigit() else 1

    @property
    def heartbeat_interval(self) -> float:
        return self._interval("OCPPCommCtrlr", "HeartbeatInterval")

    @property
    def meter_interval(self) -> float:
        return self._interval("SampledDataCtrlr", "TxUpdatedInterval")

    # -- StationBase hooks -----------------------------------------------------------

    def _make_session(self, socket: TimedSocket) -> OcppSession:
        session: OcppSession = self.session_class(self, socket, self.response_timeout)
        return session

    async def reboot(self, reason: StopReason) -> None:
        self.reset_when_idle = False  # a reboot settles a Reset(OnIdle) still waiting
        await super().reboot(reason)

    async def _after_boot(self) -> None:
        """Describe the device model, report states (and the faults still there), replay the
        queued transaction events."""
        await self.notify_report()
        for connector in self.charger.connectors.values():
            await self.status(connector.connector_id, connector.status)
        for connector_id, (code, info) in sorted(self.problems.items()):
            await self.report_problem(connector_id, code, info)
        while self.queued:
            await self._call(self.call_module.TransactionEvent(**self.queued[0]))
            self.queued.pop(0)

    # -- messages ----------------------------------------------------------------------

    async def boot(self, reason: str = "PowerUp") -> str:
        station = {
            "vendor_name": self.vendor,
            "model": self.model,
            "serial_number": self.station_id[:25],
            "firmware_version": "1.0.0",
        }
        result = await self._call(
            self.call_module.BootNotification(charging_station=station, reason=reason)
        )
        self.boot_interval = int(result.interval)
        self._registered(str(result.status))
        if self.registration == "Accepted" and self.boot_interval > 0:
            self.device_model.define("OCPPCommCtrlr", "HeartbeatInterval", str(self.boot_interval))
        return str(self.registration)

    async def notify_report(
        self, request_id: int | None = None, report: list[dict[str, Any]] | None = None
    ) -> None:
        """Describe the device model (all of it unless `report` is given)."""
        await self._call(
            self.call_module.NotifyReport(
                request_id=next(self._report_ids) if request_id is None else request_id,
                generated_at=timestamp(self.clock.now()),
                seq_no=0,
                report_data=self.device_model.report() if report is None else report,
            )
        )

    async def notify_monitoring_report(
        self, request_id: int | None = None, monitors: list[dict[str, Any]] | None = None
    ) -> None:
        """Describe the monitors installed (all of them unless `monitors` is given), as a
        station answers GetMonitoringReport: `monitors_per_report` to a message, the parts
        numbered by seqNo and all but the last marked tbc."""
        listed = self.device_model.monitoring_report() if monitors is None else monitors
        listed = [
            item
            | {
                "variable_monitoring": [
                    m | self.monitor_fields for m in item["variable_monitoring"]
                ]
            }
            for item in listed
        ]
        size = max(1, self.monitors_per_report)
        parts = [listed[at : at + size] for at in range(0, len(listed), size)] or [[]]
        request_id = next(self._report_ids) if request_id is None else request_id
        for seq_no, part in enumerate(parts):
            await self._call(
                self.call_module.NotifyMonitoringReport(
                    request_id=request_id,
                    generated_at=timestamp(self.clock.now()),
                    seq_no=seq_no,
                    monitor=part or None,
                    tbc=seq_no < len(parts) - 1,
                )
            )

    async def notify_ev_charging_needs(self, evse_id: int, needs: dict[str, Any]) -> None:
        """Say what the EV plugged in at `evse_id` asks for (ISO 15118: `needs` is
        NotifyEVChargingNeeds' chargingNeeds, in the library's snake_case)."""
        await self._call(
            self.call_module.NotifyEVChargingNeeds(evse_id=evse_id, charging_needs=needs)
        )

    async def firmware_status_notification(self, status: str, request_id: int | None) -> None:
        self.firmware_status, self.firmware_request_id = status, request_id
        await self._call(
            self.call_module.FirmwareStatusNotification(status=status, request_id=request_id)
        )

    async def log_status_notification(self, status: str, request_id: int | None) -> None:
        self.log_status, self.log_request_id = status, request_id
        await self._call(
            self.call_module.LogStatusNotification(status=status, request_id=request_id)
        )

    async def report_charging_profiles(
        self, request_id: int, profiles: dict[tuple[int, str], list[dict[str, Any]]]
    ) -> None:
        """ReportChargingProfiles, one message per EVSE (0 = the station) and source."""
        keys = sorted(profiles)
        for index, (evse_id, source) in enumerate(keys):
            await self._call(
                self.call_module.ReportChargingProfiles(
                    request_id=request_id,
                    charging_limit_source=source,
                    charging_profile=profiles[(evse_id, source)],
                    evse_id=evse_id,
                    tbc=index < len(keys) - 1,
                )
            )

    async def set_external_constraint(
        self, evse_id: int, profile: dict[str, Any], source: str = "EMS", notify: bool = True
    ) -> None:
        """The station's external system (`source`) limits the station (`evse_id` 0) or an
        EVSE with a ChargingStationExternalConstraints profile (2.x shape, snake_case); with
        `notify`, the station tells the CSMS by a NotifyChargingLimit without a schedule."""
        payload = {**profile, "charging_profile_purpose": "ChargingStationExternalConstraints"}
        parsed = parse_profile(payload, self.clock.now())
        if not self.charger.install_profile(evse_id, parsed):
            raise ValueError(f"no EVSE {evse_id} for an external constraint")
        self.profile_payloads[parsed.profile_id] = (evse_id, payload)
        self.profile_sources[parsed.profile_id] = source
        if notify:
            await self.notify_charging_limit(source, evse_id or None)

    async def clear_external_constraints(
        self, source: str, evse_id: int, notify: bool = True
    ) -> None:
        """The external system lifts its limits there; the station says so (ClearedChargingLimit)."""
        gone = [
            item.profile.profile_id
            for item in self.charger.profiles
            if item.connector_id == evse_id
            and self.profile_sources.get(item.profile.profile_id) == source
        ]
        for profile_id in gone:
            self.charger.clear_profiles(profile_id=profile_id)
            self.profile_sources.pop(profile_id, None)
        if notify:
            await self.cleared_charging_limit(source, evse_id or None)

    async def notify_charging_limit(
        self, source: str, evse_id: int | None, schedules: list[dict[str, Any]] | None = None
    ) -> None:
        """NotifyChargingLimit: an external system (`source`: EMS, SO, ...) limits the station
        or one EVSE. (Only reported: the simulated charger's own limits stay its profiles'.)"""
        await self._call(
            self.call_module.NotifyChargingLimit(
                charging_limit={"charging_limit_source": source},
                evse_id=evse_id,
                charging_schedule=schedules,
            )
        )

    async def cleared_charging_limit(self, source: str, evse_id: int | None) -> None:
        await self._call(
            self.call_module.ClearedChargingLimit(charging_limit_source=source, evse_id=evse_id)
        )

    async def notify_customer_information(self, request_id: int, data: str) -> None:
        await self._call(
            self.call_module.NotifyCustomerInformation(
                data=data,
                seq_no=0,
                generated_at=timestamp(self.clock.now()),
                request_id=request_id,
            )
        )

    async def notify_display_messages(
        self, request_id: int, messages: list[dict[str, Any]]
    ) -> None:
        await self._call(
            self.call_module.NotifyDisplayMessages(request_id=request_id, message_info=messages)
        )

    async def report_problem(
        self,
        connector_id: int,
        tech_code: str,
        tech_info: str | None = None,
        *,
        cleared: bool = False,
    ) -> None:
        """NotifyEvent: the connector's `Problem` variable turns true (a fault, with the maker's
        `techCode` and `techInfo`) or, `cleared`, false again. This is how a 2.x station
        reports what a 1.6 station puts in StatusNotification's vendorErrorCode. A fault
        still there is reported again after each boot (`problems`)."""
        if cleared:
            self.problems.pop(connector_id, None)
        else:
            self.problems[connector_id] = (tech_code, tech_info)
        event = {
            "event_id": next(self._event_ids),
            "timestamp": timestamp(self.clock.now()),
            "trigger": "Delta",
            "actual_value": "false" if cleared else "true",
            "event_notification_type": "HardWiredNotification",
            "component": {"name": "Connector", "evse": {"id": connector_id, "connector_id": 1}},
            "variable": {"name": "Problem"},
            "tech_code": tech_code,
            "cleared": cleared,
        }
        if tech_info is not None:
            event["tech_info"] = tech_info
        await self._call(
            self.call_module.NotifyEvent(
                generated_at=timestamp(self.clock.now()), seq_no=0, event_data=[event]
            )
        )

    async def reservation_expired(self, reservation_id: int) -> None:
        await self._call(
            self.call_module.ReservationStatusUpdate(
                reservation_id=reservation_id, reservation_update_status="Expired"
            )
        )

    async def heartbeat(self) -> datetime:
        result = await self._call(self.call_module.Heartbeat())
        return parse_timestamp(result.current_time)

    async def status(self, connector_id: int, status: ConnectorStatus) -> None:
        connector = self.connector(connector_id)
        connector.status = status
        await self._call(
            self.call_module.StatusNotification(
                timestamp=timestamp(self.clock.now()),
                connector_status=_STATUS_V2.get(status, "Occupied"),
                evse_id=connector_id,
                connector_id=1,
            )
        )

    async def authorize(self, id_tag: str) -> str:
        result = await self._call(
            self.call_module.Authorize(id_token={"id_token": id_tag, "type": "ISO14443"})
        )
        tariff = getattr(result, "tariff", None)  # 2.1: the driver's own tariff
        if tariff:
            self.display.driver_tariff(id_tag, tariff)
        return str(result.id_token_info["status"])

    async def transaction_event(
        self, event_type: str, connector: Connector, trigger: str, **fields: Any
    ) -> dict[str, Any] | None:
        """Send one TransactionEvent; queue it (flagged offline) if it cannot be delivered.

        Returns the idTokenInfo the CSMS answered, or None (none given, or queued).
        """
        transaction = connector.transaction
        assert transaction is not None
        info = {"transaction_id": transaction.transaction_id} | fields.pop("info", {})
        event = {
            "event_type": event_type,
            "timestamp": timestamp(self.clock.now()),
            "trigger_reason": trigger,
            "seq_no": next(self._seq),
            "transaction_info": info,
        } | fields
        if self.queued or not self.connected:
            self.queued.append(event | {"offline": True})
            return None
        try:
            result = await self._call(self.call_module.TransactionEvent(**event))
        except (StationOffline, CallTimedOut):
            self.queued.append(event | {"offline": True})
            return None
        info_answer: dict[str, Any] | None = result.id_token_info
        return info_answer

    # -- session operations (simulator.station.Station) ------------------------------

    async def begin_transaction(
        self,
        connector_id: int,
        id_tag: str,
        battery: EVBattery,
        *,
        authorize: bool = True,
        tx_profile: ChargingProfile | None = None,
    ) -> bool:
        connector = self.connector(connector_id)
        if connector.transaction is not None:
            return False
        if authorize and await self.authorize(id_tag) != "Accepted":
            return False
        now = self.clock.now()
        tx_id = TransactionId(uuid.uuid4().hex[:16])
        connector.transaction = Transaction(tx_id, id_tag, now, connector.meter_wh, battery)
        connector.last_update = now
        self.charger.changed()
        remote_start_id = self.remote_start_ids.pop(connector_id, None)
        reservation = connector.reservation
        reserved = reservation is not None and reservation.id_tag == id_tag
        if reserved:
            connector.reservation = None
        info: dict[str, Any] = {"remote_start_id": remote_start_id}
        # Only 2.1 is sent tariffs: a driver tariff given at Authorize becomes the session's.
        tariff_id = self.display.session_started(str(tx_id), id_tag, connector_id)
        if tariff_id is not None:
            info["tariff_id"] = tariff_id
        answer = await self.transaction_event(
            "Started",
            connector,
            "Authorized" if remote_start_id is None else "RemoteStart",
            info=info,
            reservation_id=reservation.reservation_id if reservation and reserved else None,
            evse={"id": connector_id, "connector_id": 1},
            id_token={"id_token": id_tag, "type": "ISO14443"},
            meter_value=[meter_value(connector.reading(now), "Transaction.Begin")],
        )
        if answer is not None and answer["status"] != "Accepted":
            await self.end_transaction(connector_id, StopReason.DE_AUTHORIZED)
            return False
        if tx_profile is not None:
            self.charger.install_profile(connector_id, tx_profile)
        self.charger.advance(connector)
        return True

    async def report_meter(self, connector_id: int) -> None:
        connector = self.connector(connector_id)
        self.charger.advance(connector)
        reading = connector.reading(self.clock.now())
        if connector.transaction is None:
            await self._call(
                self.call_module.MeterValues(
                    evse_id=connector_id, meter_value=[meter_value(reading, "Sample.Periodic")]
                )
            )
            return
        await self.transaction_event(
            "Updated",
            connector,
            "MeterValuePeriodic",
            info={"charging_state": "Charging" if connector.power_w > 0 else "SuspendedEV"},
            meter_value=[meter_value(reading, "Sample.Periodic")],
        )

    async def end_transaction(self, connector_id: int, reason: StopReason) -> None:
        connector = self.connector(connector_id)
        if connector.transaction is None:
            return
        transaction_id = str(connector.transaction.transaction_id)
        self.charger.advance(connector)
        reading = connector.reading(self.clock.now())
        connector.power_w = connector.offered_w = 0.0
        await self.transaction_event(
            "Ended",
            connector,
            _STOP_TRIGGER.get(reason, "EVCommunicationLost"),
            info={"stopped_reason": _STOPPED_REASON.get(reason, reason.value)},
            meter_value=[meter_value(reading, "Transaction.End")],
        )
        self.display.session_ended(transaction_id)
        self.charger.end_transaction(connector)
        if connector.inoperative_when_free:
            connector.operative, connector.inoperative_when_free = False, False
        idle = all(c.transaction is None for c in self.charger.connectors.values())
        if self.reset_when_idle and idle:
            self.spawn(self.reboot(StopReason.SOFT_RESET))

    async def unplug(self, connector_id: int) -> None:
        connector = self.connector(connector_id)
        connector.plugged = False
        await self.status(connector_id, self.charger.idle_status(connector))


class SimulatedStationV21(SimulatedStationV201):
    """The same station speaking OCPP 2.1 (its messages are 2.0.1's, with 2.1's schemas)."""

    subprotocol = "ocpp2.1"
    call_module = v21.call
    session_class = StationSessionV21
    monitor_fields = {"event_notification_type": "CustomMonitor"}  # required from 2.1 on
