"""Reservation use cases: create, follow the station's answers and reports, expire. Never commits."""

from datetime import datetime

from chargeyard.clock import Clock
from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    RESERVATION_CREATED,
    RESERVATION_UPDATED,
    EventKind,
    ReservationSummary,
)
from chargeyard.events.recorder import record_event
from chargeyard.reservations.domain import (
    ReservationStatus,
    after_answer,
    after_connector_status,
    is_due,
    may_move_reservations,
)
from chargeyard.reservations.models import Reservation
from chargeyard.reservations.repository import ReservationRepository, due_reservations
from chargeyard.stations.domain import ConnectorStatus
from chargeyard.storage.unit_of_work import UnitOfWork

_ENDED = (ReservationStatus.CANCELLED, ReservationStatus.EXPIRED, ReservationStatus.USED)


class ReservationService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.reservations = ReservationRepository(uow.session, organization_id)

    async def create(
        self,
        station_id: str,
        evse_id: int,
        id_tag: str,
        expires_at: datetime,
        parent_id_tag: str | None = None,
    ) -> Reservation:
        if expires_at <= self.clock():
            raise Invalid("expires_at must be in the future")
        if evse_id < 0:
            raise Invalid("evse_id must be 0 (any EVSE) or an EVSE number")
        reservation = Reservation(
            organization_id=self.organization_id,
            station_id=station_id,
            evse_id=evse_id,
            id_tag=id_tag,
            parent_id_tag=parent_id_tag,
            expires_at=expires_at,
            status=ReservationStatus.PENDING.value,
            revision=1,
        )
        self.reservations.add(reservation)
        await self.uow.session.flush()
        self._event(RESERVATION_CREATED, reservation)
        return reservation

    async def get(self, reservation_id: int) -> Reservation:
        return await self.reservations.get(reservation_id)

    async def to_move(self, reservation_id: int) -> Reservation:
        """The reservation locked, read afresh, for a write that moves it (`repository.locked`)."""
        return await self.reservations.locked(reservation_id)

    def answered(self, reservation: Reservation, station_status: str | None) -> None:
        """The station's ReserveNow answer; None when it never answered (offline, timeout)."""
        status = (
            ReservationStatus.FAILED if station_status is None else after_answer(station_status)
        )
        self._move(reservation, status)

    def cancelled(self, reservation: Reservation) -> None:
        self._move(reservation, ReservationStatus.CANCELLED)

    def expired(self, reservation: Reservation) -> None:
        self._move(reservation, ReservationStatus.EXPIRED)

    async def used(self, station_id: str, reservation_id: int, transaction_id: int) -> None:
        reservation = await self.reservations.on_station(station_id, reservation_id)
        if reservation is not None and reservation.status != ReservationStatus.USED.value:
            reservation.transaction_id = transaction_id
            self._move(reservation, ReservationStatus.USED)

    async def connector_reported(
        self, station_id: str, evse_id: int, connector: ConnectorStatus
    ) -> None:
        if not may_move_reservations(connector):
            return
        now = self.clock()
        for reservation in await self.reservations.active_on(station_id, evse_id):
            current = ReservationStatus(reservation.status)
            after = after_connector_status(current, connector, reservation.expires_at, now)
            self._move(reservation, after)

    def _move(self, reservation: Reservation, status: ReservationStatus) -> None:
        if reservation.status == status.value:
            return
        reservation.status = status.value
        if status in _ENDED:
            reservation.ended_at = self.clock()
        reservation.touch()
        self._event(RESERVATION_UPDATED, reservation)

    def _event(self, kind: EventKind[ReservationSummary], reservation: Reservation) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=reservation.station_id,
            data=summary(reservation),
        )


def summary(reservation: Reservation) -> ReservationSummary:
    return {
        "id": reservation.id,
        "station_id": reservation.station_id,
        "evse_id": reservation.evse_id,
        "id_tag": reservation.id_tag,
        "expires_at": reservation.expires_at.isoformat(),
        "status": reservation.status,
        "transaction_id": reservation.transaction_id,
    }


async def expire_due(uow: UnitOfWork, clock: Clock) -> int:
    """Expire every reservation whose time is up, in all organizations; returns how many."""
    now = clock()
    expired = 0
    for reservation in await due_reservations(uow.session, now, to_expire=True):
        if is_due(ReservationStatus(reservation.status), reservation.expires_at, now):
            ReservationService(uow, reservation.organization_id, clock).expired(reservation)
            expired += 1
    return expired
