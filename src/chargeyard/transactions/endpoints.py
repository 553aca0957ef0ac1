"""/api/v1/transactions and /api/v1/meter-values: sessions and what was measured during them."""

from decimal import Decimal

from fastapi import APIRouter, Response

from chargeyard.api.dependencies import Paging, Reading, UpdatedSince, Viewer, set_etag
from chargeyard.api.limits import Id, IdQuery, Moment, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.energy_costs.repository import EnergyCostRepository
from chargeyard.money import money_text
from chargeyard.transactions.repository import TransactionRepository
from chargeyard.transactions.schemas import MeterValueOut, TransactionOut

router = APIRouter(tags=["transactions"])


@router.get("/transactions", response_model=ListOf[TransactionOut])
async def list_transactions(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    station_id: StationIdQuery = None,
    id_tag: str | None = None,
    active: bool | None = None,
    started_since: Moment | None = None,
    started_until: Moment | None = None,
) -> ListOf[TransactionOut]:
    result = await TransactionRepository(uow.session, caller.organization_id).search(
        paging,
        station_id=station_id,
        id_tag=id_tag,
        active=active,
        started_since=started_since,
        started_until=started_until,
        updated_since=updated_since,
    )
    return listing(result, paging, TransactionOut)


@router.get("/transactions/{transaction_id}", response_model=TransactionOut)
async def get_transaction(
    transaction_id: Id, caller: Viewer, uow: Reading, response: Response
) -> TransactionOut:
    tx = await TransactionRepository(uow.session, caller.organization_id).get(transaction_id)
    set_etag(response, tx.id, tx.revision)
    out = TransactionOut.model_validate(tx)
    energy = await EnergyCostRepository(uow.session, caller.organization_id).find(tx.id)
    if energy is not None:
        out.energy_cost = Decimal(money_text(energy.energy_cost, energy.currency))
        out.margin = Decimal(money_text(energy.margin, energy.currency))
    return out


@router.get("/transactions/{transaction_id}/meter-values", response_model=ListOf[MeterValueOut])
async def transaction_meter_values(
    transaction_id: Id,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    measurand: str | None = None,
) -> ListOf[MeterValueOut]:
    repository = TransactionRepository(uow.session, caller.organization_id)
    await repository.get(transaction_id)
    result = await repository.meter_values(
        paging, transaction_id=transaction_id, measurand=measurand
    )
    return listing(result, paging, MeterValueOut)


@router.get("/meter-values", response_model=ListOf[MeterValueOut])
async def list_meter_values(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: StationIdQuery = None,
    transaction_id: IdQuery = None,
    measurand: str | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[MeterValueOut]:
    result = await TransactionRepository(uow.session, caller.organization_id).meter_values(
        paging,
        station_id=station_id,
        transaction_id=transaction_id,
        measurand=measurand,
        since=since,
        until=until,
    )
    return listing(result, paging, MeterValueOut)
