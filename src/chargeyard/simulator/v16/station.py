"""`SimulatedStation`: an OCPP 1.6-J charge point simulated in-process.

A test sends exactly the messages it wants with the message methods (`boot`, `status`,
`start_transaction`, ...), which keep the station's state in step with what was sent.
The session operations of `simulator.station.Station` (`plug_in`, `begin_transaction`,
`report_meter`, ...) work the messages out from the charger's state and physics
instead; the session driver and the fleet runner use those. Commands from the CSMS are
answered by `StationChargePoint`, one per connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ocpp.v16 import call
from ocpp.v16.enums import (
    ChargePointErrorCode,
    ChargePointStatus,
    DataTransferStatus,
    DiagnosticsStatus,
    FirmwareStatus,
    ReadingContext,
    Reason,
    RegistrationStatus,
)

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
from chargeyard.simulator.errors import CallTimedOut, StationOffline
from chargeyard.simulator.meter_reading import MeterReading
from chargeyard.simulator.station import StationBase
from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.answers import (
    DataTransferAnswer,
    StartedTransaction,
    TagAuthorization,
)
from chargeyard.simulator.v16.charge_point import StationChargePoint
from chargeyard.simulator.v16.configuration import Configuration

_ENERGY = "Energy.Active.Import.Register"


class SimulatedStation(StationBase):
    subprotocol = "ocpp1.6"

    def _configure(self, heartbeat_interval: int, meter_interval: int) -> None:
        self.configuration = Configuration(
            connectors=len(self.connector_ids),
            heartbeat_interval=heartbeat_interval,
            meter_interval=meter_interval,
        )
        self.firmware_version = "1.0.0"
        self.auth_cache: dict[str, TagAuthorization] = {}
        self.firmware_status = FirmwareStatus.idle
        self.diagnostics_status = DiagnosticsStatus.idle
        self._undelivered: list[call.StopTransaction] = []

    @property
    def heartbeat_interval(self) -> float:
        return max(1, self.configuration.integer("HeartbeatInterval"))

    @property
    def meter_interval(self) -> float:
        return max(1, self.configuration.integer("MeterValueSampleInterval"))

    def transaction_connector(self, transaction_id: int) -> Connector | None:
        return self.charger.transaction_connector(TransactionId(str(transaction_id)))

    # -- StationBase hooks -----------------------------------------------------------

    def _make_session(self, socket: TimedSocket) -> OcppSession:
        return StationChargePoint(self, socket, self.response_timeout)

    async def _after_boot(self) -> None:
        """Report states, then resend the StopTransactions the CSMS has not had."""
        await self.announce()
        while self._undelivered:
            await self._call(self._undelivered[0])
            self._undelivered.pop(0)

    def _ping_interval(self) -> float | None:
        return self.configuration.integer("WebSocketPingInterval") or None

    # -- messages ----------------------------------------------------------------------

    async def boot(self) -> RegistrationStatus:
        """BootNotification; on Accepted the returned interval becomes HeartbeatInterval."""
        result = await self._call(
            call.BootNotification(
                charge_point_model=self.model,
                charge_point_vendor=self.vendor,
                charge_point_serial_number=self.station_id[:25],
                firmware_version=self.firmware_version,
            )
        )
        registration = RegistrationStatus(result.status)
        self.boot_interval = int(result.interval)
        self._registered(registration)
        if registration is RegistrationStatus.accepted and self.boot_interval > 0:
            self.configuration.set("HeartbeatInterval", str(self.boot_interval))
        return registration

    async def heartbeat(self) -> datetime:
        """Heartbeat; returns the CSMS's current time."""
        result = await self._call(call.Heartbeat())
        return codec.parse_timestamp(result.current_time)

    async def status(
        self, connector_id: int, status: str, error_code: str = "NoError", info: str | None = None
    ) -> None:
        """StatusNotification for a connector (0 = the station itself)."""
        state = ConnectorStatus(status)
        if connector_id == 0:
            self.charger.status = state
        else:
            connector = self.connector(connector_id)
            connector.status, connector.error_code = state, error_code
        await self._call(
            call.StatusNotification(
                connector_id=connector_id,
                error_code=ChargePointErrorCode(error_code),
                status=ChargePointStatus(state.value),
                timestamp=codec.timestamp(self.clock.now()),
                info=info,
            )
        )

    async def authorize(self, id_tag: str) -> TagAuthorization:
        result = await self._call(call.Authorize(id_tag=id_tag))
        answer = TagAuthorization.parse(result.id_tag_info)
        if self.configuration.flag("AuthorizationCacheEnabled"):
            self.auth_cache[id_tag] = answer
        return answer

    async def start_transaction(
        self, connector_id: int, id_tag: str, meter_start: int, *, reservation_id: int | None = None
    ) -> StartedTransaction:
        """StartTransaction; the connector holds the transaction whatever the tag's status."""
        connector = self.connector(connector_id)
        now = self.clock.now()
        connector.starting = True  # charging begins as the transaction starts
        self.charger.changed()
        try:
            result = await self._call(
                call.StartTransaction(
                    connector_id=connector_id,
                    id_tag=id_tag,
                    meter_start=meter_start,
                    timestamp=codec.timestamp(now),
                    reservation_id=reservation_id,
                )
            )
        finally:
            connector.starting = False
        started = StartedTransaction(
            transaction_id=int(result.transaction_id),
            id_tag_info=TagAuthorization.parse(result.id_tag_info),
        )
        tx_id = TransactionId(str(started.transaction_id))
        connector.transaction = Transaction(tx_id, id_tag, now, meter_start)
        connector.last_update = now
        self.charger.changed()
        if reservation_id is not None:
            connector.reservation = None
        return started

    async def send_meter_values(
        self,
        connector_id: int,
        transaction_id: int | None = None,
        reading: MeterReading | None = None,
        *,
        context: ReadingContext = ReadingContext.sample_periodic,
    ) -> None:
        """MeterValues with `reading`, or with what the connector's meter shows now."""
        if reading is None:
            reading = self.connector(connector_id).reading(self.clock.now())
        measurands = self.configuration.items("MeterValuesSampledData") or (_ENERGY,)
        await self._call(
            call.MeterValues(
                connector_id=connector_id,
                meter_value=[codec.meter_value(reading, measurands, context)],
                transaction_id=transaction_id,
            )
        )

    async def stop_transaction(
        self,
        transaction_id: int,
        meter_stop: int,
        reason: str = Reason.local,
        transaction_data: Sequence[MeterReading] | None = None,
        *,
        id_tag: str | None = None,
    ) -> TagAuthorization | None:
        """StopTransaction; kept and resent after reconnecting if the CSMS is unreachable."""
        connector = self.transaction_connector(transaction_id)
        if connector is not None:
            self.charger.end_transaction(connector)
        measurands = self.configuration.items("StopTxnSampledData") or (_ENERGY,)
        data = [
            codec.meter_value(reading, measurands, ReadingContext.transaction_end)
            for reading in transaction_data or ()
        ]
        payload = call.StopTransaction(
            meter_stop=meter_stop,
            timestamp=codec.timestamp(self.clock.now()),
            transaction_id=transaction_id,
            reason=Reason(reason),
            id_tag=id_tag,
            transaction_data=data or None,
        )
        try:
            result = await self._call(payload)
        except (StationOffline, CallTimedOut):
            self._undelivered.append(payload)
            raise
        info = result.id_tag_info
        return None if info is None else TagAuthorization.parse(info)

    async def data_transfer(
        self, vendor_id: str, message_id: str | None = None, data: str | None = None
    ) -> DataTransferAnswer:
        result = await self._call(
            call.DataTransfer(vendor_id=vendor_id, message_id=message_id, data=data)
        )
        return DataTransferAnswer(DataTransferStatus(result.status), result.data)

    async def firmware_status_notification(self, status: FirmwareStatus) -> None:
        self.firmware_status = status
        await self._call(call.FirmwareStatusNotification(status=status))

    async def diagnostics_status_notification(self, status: DiagnosticsStatus) -> None:
        self.diagnostics_status = status
        await self._call(call.DiagnosticsStatusNotification(status=status))

    # -- session operations (simulator.station.Station) ------------------------------

    async def announce(self) -> None:
        """The StatusNotifications a charge point sends after booting."""
        await self.status(0, self.charger.status)
        for connector in self.charger.connectors.values():
            await self.status(connector.connector_id, connector.status, connector.error_code)

    async def begin_transaction(
        self,
        connector_id: int,
        id_tag: str,
        battery: EVBattery,
        *,
        authorize: bool = True,
        tx_profile: ChargingProfile | None = None,
    ) -> bool:
        """Authorize (unless pre-authorized locally), StartTransaction, then Charging."""
        connector = self.connector(connector_id)
        if connector.transaction is not None:
            return False
        must_ask = authorize and not self._authorized_locally(id_tag)
        if must_ask and not (await self.authorize(id_tag)).accepted:
            return False
        reservation = connector.reservation
        reservation_id = (
            reservation.reservation_id if reservation and reservation.id_tag == id_tag else None
        )
        started = await self.start_transaction(
            connector_id, id_tag, connector.meter_wh, reservation_id=reservation_id
        )
        transaction = connector.transaction
        if transaction is None:  # a reset ended it while StartTransaction was in flight
            return False
        transaction.battery = battery
        if not started.id_tag_info.accepted:
            await self.end_transaction(connector_id, StopReason.DE_AUTHORIZED)
            return False
        if tx_profile is not None:
            self.charger.install_profile(connector_id, tx_profile)
        self.charger.advance(connector)
        await self.status(connector_id, connector.charging_status())
        return True

    async def report_meter(self, connector_id: int) -> None:
        """MeterValues; and a StatusNotification if charging paused or resumed."""
        connector = self.connector(connector_id)
        transaction = connector.transaction
        self.charger.advance(connector)
        tx_id = None if transaction is None else int(transaction.transaction_id)
        await self.send_meter_values(connector_id, tx_id)
        if transaction is not None and connector.charging_status() is not connector.status:
            await self.status(connector_id, connector.charging_status())

    async def end_transaction(self, connector_id: int, reason: StopReason) -> None:
        """StopTransaction with the final reading, then Finishing while the car is there."""
        connector = self.connector(connector_id)
        transaction = connector.transaction
        if transaction is None:
            return
        self.charger.advance(connector)
        reading = connector.reading(self.clock.now())
        connector.power_w = connector.offered_w = 0.0
        try:
            await self.stop_transaction(
                int(transaction.transaction_id),
                connector.meter_wh,
                reason.value,
                [reading],
                id_tag=transaction.id_tag,
            )
        except (StationOffline, CallTimedOut):
            return  # queued: resent once the station is back online
        if connector.plugged:
            await self.status(connector_id, ConnectorStatus.FINISHING)

    async def unplug(self, connector_id: int) -> None:
        connector = self.connector(connector_id)
        connector.plugged = False
        if connector.inoperative_when_free:
            connector.operative, connector.inoperative_when_free = False, False
        await self.status(connector_id, self.charger.idle_status(connector))

    def _authorized_locally(self, id_tag: str) -> bool:
        """LocalPreAuthorize: a tag the local list or the cache accepts needs no Authorize."""
        if not self.configuration.flag("LocalPreAuthorize"):
            return False
        listed = None
        if self.configuration.flag("LocalAuthListEnabled"):
            listed = self.local_list.status_of(id_tag)
        cached = self.auth_cache.get(id_tag)
        return listed == "Accepted" or (listed is None and cached is not None and cached.accepted)
