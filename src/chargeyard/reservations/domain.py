"""Reservation statuses and how station answers and reports move them. Pure rules, no I/O.

A reservation is `Pending` until the station answers ReserveNow; the answer makes it
`Accepted` or one of the refusals. It then ends exactly once: `Used` (a transaction started
with it), `Cancelled` (by an operator, or by the station dropping it early) or `Expired`.
"""

from datetime import datetime
from enum import StrEnum

from chargeyard.stations.domain import ConnectorStatus


class ReservationStatus(StrEnum):
    PENDING = "Pending"
    ACCEPTED = "Accepted"
    FAULTED = "Faulted"
    OCCUPIED = "Occupied"
    REJECTED = "Rejected"
    UNAVAILABLE = "Unavailable"
    FAILED = "Failed"
    CANCELLED = "Cancelled"
    EXPIRED = "Expired"
    USED = "Used"


ACTIVE = (ReservationStatus.PENDING, ReservationStatus.ACCEPTED)
_ANSWERS = {s.value: s for s in ReservationStatus}


def after_answer(station_status: str) -> ReservationStatus:
    """The station's ReserveNow status; anything unexpected counts as a refusal."""
    status = _ANSWERS.get(station_status, ReservationStatus.REJECTED)
    return status if status not in (ReservationStatus.PENDING,) else ReservationStatus.REJECTED


def may_move_reservations(connector: ConnectorStatus) -> bool:
    """Whether a connector status can change a reservation at all (see
    `after_connector_status`): most reports (Occupied, Faulted, ...) cannot, and need no look."""
    return connector in (ConnectorStatus.RESERVED, ConnectorStatus.AVAILABLE)


def after_connector_status(
    current: ReservationStatus, connector: ConnectorStatus, expires_at: datetime, now: datetime
) -> ReservationStatus:
    """What a reported connector status says about the reservation held on it.

    `Reserved` confirms it; the connector becoming available again ends it: by expiry when its
    time is up, otherwise the station dropped it early (cancelled at the station).
    """
    if current not in ACTIVE:
        return current
    if connector is ConnectorStatus.RESERVED:
        return ReservationStatus.ACCEPTED
    if connector is ConnectorStatus.AVAILABLE and current is ReservationStatus.ACCEPTED:
        return ReservationStatus.EXPIRED if expires_at <= now else ReservationStatus.CANCELLED
    return current


def is_due(status: ReservationStatus, expires_at: datetime, now: datetime) -> bool:
    return status in ACTIVE and expires_at <= now
