"""Commands of the OCPP 1.6 Reservation profile.

A reservation holds a connector (status Reserved) for one id tag until it expires, is
cancelled, or that tag starts a transaction on it. Reserving connector 0 is not
supported (ReserveConnectorZeroSupported is false).
"""

from __future__ import annotations

from typing import Any

from ocpp.v16 import call_result
from ocpp.v16.enums import Action, CancelReservationStatus, ReservationStatus

from chargeyard.simulator.connector import ConnectorStatus, Reservation
from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.handler import ProfileHandlers, handles


class ReservationProfile(ProfileHandlers):
    @handles(Action.reserve_now)
    def on_reserve_now(
        self,
        connector_id: int,
        expiry_date: str,
        id_tag: str,
        reservation_id: int,
        parent_id_tag: str | None = None,
        **_: Any,
    ) -> call_result.ReserveNow:
        status = self._reservation_status(connector_id, reservation_id)
        if status is not ReservationStatus.accepted:
            return call_result.ReserveNow(status=status)
        expires_at = codec.parse_timestamp(expiry_date)
        reservation = Reservation(reservation_id, id_tag, expires_at, parent_id_tag)
        connector = self.station.connector(connector_id)
        connector.reservation, connector.status = reservation, ConnectorStatus.RESERVED
        self.after_reply(lambda: self._hold(connector_id, reservation))
        return call_result.ReserveNow(status=status)

    @handles(Action.cancel_reservation)
    def on_cancel_reservation(self, reservation_id: int, **_: Any) -> call_result.CancelReservation:
        charger = self.station.charger
        connector = next(
            (
                c
                for c in charger.connectors.values()
                if c.reservation and c.reservation.reservation_id == reservation_id
            ),
            None,
        )
        if connector is None or self.refuses(Action.cancel_reservation):
            return call_result.CancelReservation(status=CancelReservationStatus.rejected)
        connector.reservation = None
        if connector.status is ConnectorStatus.RESERVED:
            station, connector_id = self.station, connector.connector_id
            self.after_reply(lambda: station.status(connector_id, charger.idle_status(connector)))
        return call_result.CancelReservation(status=CancelReservationStatus.accepted)

    def _reservation_status(self, connector_id: int, reservation_id: int) -> ReservationStatus:
        charger = self.station.charger
        if self.refuses(Action.reserve_now) or not charger.has(connector_id):
            return ReservationStatus.rejected
        connector = charger.connector(connector_id)
        if connector.status is ConnectorStatus.FAULTED:
            return ReservationStatus.faulted
        if not connector.operative:
            return ReservationStatus.unavailable
        current = connector.reservation
        if current is not None and current.reservation_id == reservation_id:
            return ReservationStatus.accepted  # same id: the new reservation replaces it
        if connector.status is not ConnectorStatus.AVAILABLE:
            return ReservationStatus.occupied
        return ReservationStatus.accepted

    async def _hold(self, connector_id: int, reservation: Reservation) -> None:
        """Report Reserved, and free the connector if the reservation is unused at expiry."""
        station = self.station
        await station.status(connector_id, ConnectorStatus.RESERVED)
        await station.clock.sleep((reservation.expires_at - station.clock.now()).total_seconds())
        connector = station.connector(connector_id)
        if connector.reservation != reservation:
            return  # used, cancelled or replaced meanwhile
        connector.reservation = None
        if connector.transaction is None and not connector.plugged:
            await station.status(connector_id, station.charger.idle_status(connector))
