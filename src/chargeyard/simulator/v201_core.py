"""OCPP 2.x commands about sessions and access, answered by a simulated station: remote
start/stop, reset, unlock, availability, triggers, reservations, the local list and cache,
and data transfer."""

from __future__ import annotations

from typing import Any

from ocpp.v201 import call_result as r

from chargeyard.simulator.connector import ConnectorStatus, Reservation, StopReason, TransactionId
from chargeyard.simulator.session_driver import SessionDriver, SessionPhase
from chargeyard.simulator.session_plan import SessionPlan
from chargeyard.simulator.v16.codec import parse_timestamp
from chargeyard.simulator.v201_handler import Handlers, handles
from chargeyard.simulator.v201_triggers import send_triggered


class CoreHandlers(Handlers):
    @handles("RequestStartTransaction")
    def on_request_start_transaction(
        self, id_token: dict[str, Any], remote_start_id: int, evse_id: int | None = None, **_: Any
    ) -> r.RequestStartTransaction:
        charger, tag = self.station.charger, str(id_token["id_token"])
        target = charger.free_connector(tag) if evse_id is None else evse_id
        if target is None or not charger.can_start(target, tag):
            return r.RequestStartTransaction(status="Rejected")
        if self.refuses("RequestStartTransaction"):
            return r.RequestStartTransaction(status="Rejected")
        self.station.remote_start_ids[target] = remote_start_id
        self.after_reply(lambda: self._run_remote_session(target, tag))
        return r.RequestStartTransaction(status="Accepted")

    @handles("RequestStopTransaction")
    def on_request_stop_transaction(
        self, transaction_id: str, **_: Any
    ) -> r.RequestStopTransaction:
        connector = self.station.charger.transaction_connector(TransactionId(transaction_id))
        if connector is None or self.refuses("RequestStopTransaction"):
            return r.RequestStopTransaction(status="Rejected")
        station, connector_id = self.station, connector.connector_id
        self.after_reply(lambda: station.end_transaction(connector_id, StopReason.REMOTE))
        return r.RequestStopTransaction(status="Accepted")

    @handles("Reset")
    def on_reset(self, type: str, evse_id: int | None = None, **_: Any) -> r.Reset:
        """An EVSE cannot be reset on its own here; OnIdle waits for the sessions to end."""
        if self.refuses("Reset") or evse_id is not None:
            return r.Reset(status="Rejected")
        station = self.station
        busy = any(c.transaction is not None for c in station.charger.connectors.values())
        if type == "OnIdle" and busy:
            station.reset_when_idle = True
            return r.Reset(status="Scheduled")
        reason = StopReason.HARD_RESET if type == "Immediate" else StopReason.SOFT_RESET
        self.after_reply(lambda: station.reboot(reason))
        return r.Reset(status="Accepted")

    @handles("UnlockConnector")
    def on_unlock_connector(self, evse_id: int, connector_id: int, **_: Any) -> r.UnlockConnector:
        if not self.evse_known({"id": evse_id, "connector_id": connector_id}):
            return r.UnlockConnector(status="UnknownConnector")
        connector = self.station.connector(evse_id)
        if connector.transaction is not None:
            return r.UnlockConnector(status="OngoingAuthorizedTransaction")
        if self.refuses("UnlockConnector"):
            return r.UnlockConnector(status="UnlockFailed")
        if connector.plugged:
            station = self.station
            self.after_reply(lambda: station.unplug(evse_id))
        return r.UnlockConnector(status="Unlocked")

    @handles("ChangeAvailability")
    def on_change_availability(
        self, operational_status: str, evse: dict[str, Any] | None = None, **_: Any
    ) -> r.ChangeAvailability:
        if self.refuses("ChangeAvailability") or not self.evse_known(evse):
            return r.ChangeAvailability(status="Rejected")
        target = 0 if evse is None else int(evse["id"])
        operative = operational_status == "Operative"
        scheduled = self.station.charger.set_availability(target, operative=operative)
        self.after_reply(lambda: self._report_availability(target))
        return r.ChangeAvailability(status="Scheduled" if scheduled else "Accepted")

    @handles("TriggerMessage")
    def on_trigger_message(
        self, requested_message: str, evse: dict[str, Any] | None = None, **_: Any
    ) -> r.TriggerMessage:
        if self.refuses("TriggerMessage") or not self.evse_known(evse):
            return r.TriggerMessage(status="Rejected")
        station, evse_id = self.station, None if evse is None else int(evse["id"])
        sender = send_triggered(station, requested_message, evse_id)
        if sender is None:
            return r.TriggerMessage(status="NotImplemented")
        self.after_reply(sender)
        return r.TriggerMessage(status="Accepted")

    @handles("ClearCache")
    def on_clear_cache(self, **_: Any) -> r.ClearCache:
        if self.refuses("ClearCache"):
            return r.ClearCache(status="Rejected")
        self.station.auth_cache.clear()
        return r.ClearCache(status="Accepted")

    @handles("DataTransfer")
    def on_data_transfer(
        self, vendor_id: str, message_id: str | None = None, data: Any = None, **_: Any
    ) -> r.DataTransfer:
        """Our own vendor's messages are echoed back; other vendors are unknown to us."""
        if vendor_id != self.station.vendor:
            return r.DataTransfer(status="UnknownVendorId")
        if self.refuses("DataTransfer"):
            return r.DataTransfer(status="Rejected")
        return r.DataTransfer(status="Accepted", data=data)

    @handles("ReserveNow")
    def on_reserve_now(
        self,
        id: int,
        expiry_date_time: str,
        id_token: dict[str, Any],
        evse_id: int | None = None,
        **_: Any,
    ) -> r.ReserveNow:
        charger = self.station.charger
        if self.refuses("ReserveNow") or (evse_id is not None and not charger.has(evse_id)):
            return r.ReserveNow(status="Rejected")
        tag = str(id_token["id_token"])
        target = evse_id if evse_id is not None else charger.free_connector(tag)
        if target is None:
            return r.ReserveNow(status="Occupied")
        connector = charger.connector(target)
        if connector.status is ConnectorStatus.FAULTED:
            return r.ReserveNow(status="Faulted")
        if not connector.operative:
            return r.ReserveNow(status="Unavailable")
        current = connector.reservation
        if connector.status is not ConnectorStatus.AVAILABLE and not (
            current is not None and current.reservation_id == id
        ):
            return r.ReserveNow(status="Occupied")
        reservation = Reservation(id, tag, parse_timestamp(expiry_date_time))
        connector.reservation = reservation
        self.after_reply(lambda: self._hold(target, reservation))
        return r.ReserveNow(status="Accepted")

    @handles("CancelReservation")
    def on_cancel_reservation(self, reservation_id: int, **_: Any) -> r.CancelReservation:
        station = self.station
        connector = next(
            (
                c
                for c in station.charger.connectors.values()
                if c.reservation and c.reservation.reservation_id == reservation_id
            ),
            None,
        )
        if connector is None or self.refuses("CancelReservation"):
            return r.CancelReservation(status="Rejected")
        connector.reservation = None
        if connector.status is ConnectorStatus.RESERVED:
            idle = station.charger.idle_status(connector)
            self.after_reply(lambda: station.status(connector.connector_id, idle))
        return r.CancelReservation(status="Accepted")

    @handles("SendLocalList")
    def on_send_local_list(
        self,
        version_number: int,
        update_type: str,
        local_authorization_list: list[dict[str, Any]] | None = None,
        **_: Any,
    ) -> r.SendLocalList:
        if self.refuses("SendLocalList"):
            return r.SendLocalList(status="Failed")
        entries = {
            str(entry["id_token"]["id_token"]): (entry.get("id_token_info") or {}).get("status")
            for entry in local_authorization_list or []
        }
        local_list = self.station.local_list
        if update_type == "Full":
            local_list.replace(version_number, entries)
            return r.SendLocalList(status="Accepted")
        applied = local_list.update(version_number, entries)
        return r.SendLocalList(status="Accepted" if applied else "VersionMismatch")

    @handles("GetLocalListVersion")
    def on_get_local_list_version(self, **_: Any) -> r.GetLocalListVersion:
        version = 0 if self.refuses("GetLocalListVersion") else self.station.local_list.version
        return r.GetLocalListVersion(version_number=version)

    async def _run_remote_session(self, connector_id: int, id_tag: str) -> None:
        """The car parked at the connector charges until the session is ended."""
        station = self.station
        plan = SessionPlan.until_stopped(connector_id, id_tag, station.vehicle, authorize=True)
        driver = SessionDriver(station, plan, station.clock)
        connector = station.connector(connector_id)
        if connector.plugged:
            driver.phase = SessionPhase.PLUGGED  # the car the CSMS saw arrive is already here
        await driver.run()

    async def _report_availability(self, evse_id: int) -> None:
        """Report the connectors whose availability changed and who are free."""
        station = self.station
        targets = station.connector_ids if evse_id == 0 else (evse_id,)
        for target in targets:
            connector = station.connector(target)
            if connector.transaction is None and not connector.plugged:
                await station.status(target, station.charger.idle_status(connector))

    async def _hold(self, connector_id: int, reservation: Reservation) -> None:
        """Report Reserved; at expiry free the connector and tell the CSMS it expired."""
        station = self.station
        await station.status(connector_id, ConnectorStatus.RESERVED)
        await station.clock.sleep((reservation.expires_at - station.clock.now()).total_seconds())
        connector = station.connector(connector_id)
        if connector.reservation != reservation:
            return  # used, cancelled or replaced meanwhile
        connector.reservation = None
        await station.reservation_expired(reservation.reservation_id)
        if connector.transaction is None and not connector.plugged:
            await station.status(connector_id, station.charger.idle_status(connector))
