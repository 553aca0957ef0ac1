"""/api/v1/reservations: reservations made with the reserve-now command, and their status."""

from fastapi import APIRouter, Response

from chargeyard.api.dependencies import Paging, Reading, UpdatedSince, Viewer, set_etag
from chargeyard.api.limits import Id, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.reservations.repository import ReservationRepository
from chargeyard.reservations.schemas import ReservationOut

router = APIRouter(prefix="/reservations", tags=["reservations"])


@router.get("", response_model=ListOf[ReservationOut])
async def list_reservations(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    station_id: StationIdQuery = None,
    status: str | None = None,
    active: bool | None = None,
) -> ListOf[ReservationOut]:
    result = await ReservationRepository(uow.session, caller.organization_id).search(
        paging, station_id=station_id, status=status, active=active, updated_since=updated_since
    )
    return listing(result, paging, ReservationOut)


@router.get("/{reservation_id}", response_model=ReservationOut)
async def get_reservation(
    reservation_id: Id, caller: Viewer, uow: Reading, response: Response
) -> ReservationOut:
    reservation = await ReservationRepository(uow.session, caller.organization_id).get(
        reservation_id
    )
    set_etag(response, reservation.id, reservation.revision)
    return ReservationOut.model_validate(reservation)
