"""/api/v1/settlements: payment settlements stations reported, newest first."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import Id, IdQuery, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.settlements.domain import PaymentStatus
from chargeyard.settlements.repository import SettlementFilter, SettlementRepository
from chargeyard.settlements.schemas import SettlementOut

router = APIRouter(prefix="/settlements", tags=["settlements"])


@router.get("", response_model=ListOf[SettlementOut])
async def list_settlements(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: StationIdQuery = None,
    transaction_id: IdQuery = None,
    status: PaymentStatus | None = None,
    psp_ref: str | None = None,
) -> ListOf[SettlementOut]:
    where = SettlementFilter(
        station_id, transaction_id, None if status is None else status.value, psp_ref
    )
    result = await SettlementRepository(uow.session, caller.organization_id).search(where, paging)
    return listing(result, paging, SettlementOut)


@router.get("/{settlement_id}", response_model=SettlementOut)
async def get_settlement(settlement_id: Id, caller: Viewer, uow: Reading) -> SettlementOut:
    row = await SettlementRepository(uow.session, caller.organization_id).get(settlement_id)
    return SettlementOut.model_validate(row)
