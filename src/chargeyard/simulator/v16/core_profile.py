"""Commands of the OCPP 1.6 Core profile, answered by a simulated station."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ocpp.v16 import call_result, datatypes
from ocpp.v16.enums import (
    Action,
    AvailabilityStatus,
    AvailabilityType,
    ClearCacheStatus,
    ConfigurationStatus,
    DataTransferStatus,
    RemoteStartStopStatus,
    ResetStatus,
    ResetType,
    UnlockStatus,
)

from chargeyard.simulator.charging_profile import ChargingProfile, ProfilePurpose
from chargeyard.simulator.connector import ConnectorStatus, StopReason
from chargeyard.simulator.cost_display import COST_VENDOR
from chargeyard.simulator.session_driver import SessionDriver, SessionPhase
from chargeyard.simulator.session_plan import SessionPlan
from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.handler import ProfileHandlers, handles

_ACCEPTED, _REJECTED = RemoteStartStopStatus.accepted, RemoteStartStopStatus.rejected


class CoreProfile(ProfileHandlers):
    @handles(Action.remote_start_transaction)
    def on_remote_start_transaction(
        self,
        id_tag: str,
        connector_id: int | None = None,
        charging_profile: dict[str, Any] | None = None,
        **_: Any,
    ) -> call_result.RemoteStartTransaction:
        charger = self.station.charger
        try:
            profile = self._tx_profile(charging_profile)
        except ValueError:
            return call_result.RemoteStartTransaction(status=_REJECTED)
        target = charger.free_connector(id_tag) if connector_id is None else connector_id
        if target is None or not charger.can_start(target, id_tag):
            return call_result.RemoteStartTransaction(status=_REJECTED)
        if self.refuses(Action.remote_start_transaction):
            return call_result.RemoteStartTransaction(status=_REJECTED)
        self.after_reply(lambda: self._run_remote_session(target, id_tag, profile))
        return call_result.RemoteStartTransaction(status=_ACCEPTED)

    @handles(Action.remote_stop_transaction)
    def on_remote_stop_transaction(
        self, transaction_id: int, **_: Any
    ) -> call_result.RemoteStopTransaction:
        connector = self.station.transaction_connector(transaction_id)
        if connector is None or self.refuses(Action.remote_stop_transaction):
            return call_result.RemoteStopTransaction(status=_REJECTED)
        station, connector_id = self.station, connector.connector_id
        self.after_reply(lambda: station.end_transaction(connector_id, StopReason.REMOTE))
        return call_result.RemoteStopTransaction(status=_ACCEPTED)

    @handles(Action.reset)
    def on_reset(self, type: str, **_: Any) -> call_result.Reset:
        if self.refuses(Action.reset):
            return call_result.Reset(status=ResetStatus.rejected)
        hard = ResetType(type) is ResetType.hard
        reason = StopReason.HARD_RESET if hard else StopReason.SOFT_RESET
        station = self.station
        self.after_reply(lambda: station.reboot(reason))
        return call_result.Reset(status=ResetStatus.accepted)

    @handles(Action.unlock_connector)
    def on_unlock_connector(self, connector_id: int, **_: Any) -> call_result.UnlockConnector:
        if not self.station.charger.has(connector_id):
            return call_result.UnlockConnector(status=UnlockStatus.not_supported)
        if self.refuses(Action.unlock_connector):
            return call_result.UnlockConnector(status=UnlockStatus.unlock_failed)
        self.after_reply(lambda: self._unlock(connector_id))
        return call_result.UnlockConnector(status=UnlockStatus.unlocked)

    @handles(Action.change_availability)
    def on_change_availability(
        self, connector_id: int, type: str, **_: Any
    ) -> call_result.ChangeAvailability:
        charger = self.station.charger
        if self.refuses(Action.change_availability) or not (
            connector_id == 0 or charger.has(connector_id)
        ):
            return call_result.ChangeAvailability(status=AvailabilityStatus.rejected)
        operative = AvailabilityType(type) is AvailabilityType.operative
        scheduled = charger.set_availability(connector_id, operative=operative)
        self.after_reply(lambda: self._report_availability(connector_id))
        status = AvailabilityStatus.scheduled if scheduled else AvailabilityStatus.accepted
        return call_result.ChangeAvailability(status=status)

    @handles(Action.get_configuration)
    def on_get_configuration(
        self, key: list[str] | None = None, **_: Any
    ) -> call_result.GetConfiguration:
        configuration = self.station.configuration
        wanted = key or [item.name for item in configuration]
        if self.refuses(Action.get_configuration):
            return call_result.GetConfiguration(configuration_key=[], unknown_key=wanted)
        found = [item for name in wanted if (item := configuration.get(name)) is not None]
        return call_result.GetConfiguration(
            configuration_key=[
                datatypes.KeyValue(key=item.name, readonly=item.readonly, value=item.value)
                for item in found
            ],
            unknown_key=[name for name in wanted if configuration.get(name) is None] or None,
        )

    @handles(Action.change_configuration)
    def on_change_configuration(
        self, key: str, value: str, **_: Any
    ) -> call_result.ChangeConfiguration:
        if self.refuses(Action.change_configuration):
            return call_result.ChangeConfiguration(status=ConfigurationStatus.rejected)
        return call_result.ChangeConfiguration(status=self.station.configuration.change(key, value))

    @handles(Action.clear_cache)
    def on_clear_cache(self, **_: Any) -> call_result.ClearCache:
        if self.refuses(Action.clear_cache):
            return call_result.ClearCache(status=ClearCacheStatus.rejected)
        self.station.auth_cache.clear()
        return call_result.ClearCache(status=ClearCacheStatus.accepted)

    @handles(Action.data_transfer)
    def on_data_transfer(
        self, vendor_id: str, message_id: str | None = None, data: str | None = None, **_: Any
    ) -> call_result.DataTransfer:
        """Our own vendor's messages are echoed back, and the Open Charge Alliance's cost
        messages shown; other vendors are unknown to us."""
        if vendor_id == COST_VENDOR:
            shown = self.station.display.cost_message(message_id, data)
            return call_result.DataTransfer(
                status=DataTransferStatus.accepted if shown else DataTransferStatus.rejected
            )
        if vendor_id != self.station.vendor:
            return call_result.DataTransfer(status=DataTransferStatus.unknown_vendor_id)
        if self.refuses(Action.data_transfer):
            return call_result.DataTransfer(status=DataTransferStatus.rejected)
        return call_result.DataTransfer(status=DataTransferStatus.accepted, data=data)

    def _tx_profile(self, payload: dict[str, Any] | None) -> ChargingProfile | None:
        """The profile sent with a remote start; ValueError unless it is a valid TxProfile."""
        if payload is None:
            return None
        profile = codec.charging_profile(payload, self.station.clock.now())
        if profile.purpose is not ProfilePurpose.TX:
            raise ValueError(f"a remote start carries a TxProfile, not {profile.purpose}")
        return profile

    async def _run_remote_session(
        self, connector_id: int, id_tag: str, tx_profile: ChargingProfile | None
    ) -> None:
        """The car parked at the connector charges until the session is ended."""
        station = self.station
        plan = SessionPlan.until_stopped(
            connector_id,
            id_tag,
            station.vehicle,
            authorize=station.configuration.flag("AuthorizeRemoteTxRequests"),
        )
        driver = SessionDriver(station, replace(plan, tx_profile=tx_profile), station.clock)
        connector = station.connector(connector_id)
        if connector.plugged or connector.status is ConnectorStatus.PREPARING:
            connector.plugged = True  # the car the CSMS saw arrive is already here
            driver.phase = SessionPhase.PLUGGED
        await driver.run()

    async def _unlock(self, connector_id: int) -> None:
        """End the transaction on the connector, then release the cable."""
        await self.station.end_transaction(connector_id, StopReason.UNLOCK_COMMAND)
        await self.station.unplug(connector_id)

    async def _report_availability(self, connector_id: int) -> None:
        """Tell the CSMS about connectors whose availability changed and who are free."""
        station = self.station
        charger = station.charger
        if connector_id == 0:
            await station.status(0, charger.status)
        targets = charger.connector_ids if connector_id == 0 else (connector_id,)
        for target in targets:
            connector = charger.connector(target)
            if connector.transaction is None and not connector.plugged:
                await station.status(target, charger.idle_status(connector))
