"""/api/v1/demand-response-events: curtailments and V2G windows on a circuit."""

from fastapi import APIRouter, status

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.demand_response.schemas import DemandResponseIn, DemandResponseOut
from chargeyard.demand_response.service import DemandResponseService

router = APIRouter(tags=["smart charging"])


@router.get("/demand-response-events", response_model=ListOf[DemandResponseOut])
async def list_demand_response(
    caller: Viewer, uow: Reading, ctx: Server, paging: Paging
) -> ListOf[DemandResponseOut]:
    service = DemandResponseService(uow, caller.organization_id, ctx.clock)
    return listing(await service.events.search(paging), paging, DemandResponseOut)


@router.post(
    "/demand-response-events",
    status_code=status.HTTP_201_CREATED,
    response_model=DemandResponseOut,
)
async def add_demand_response(
    body: DemandResponseIn, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> DemandResponseOut:
    """A curtailment caps the circuit for its window; a V2G window lets bidirectional EVSEs
    discharge (fleet objective)."""
    service = DemandResponseService(uow, caller.organization_id, ctx.clock)
    row = await service.add(body.model_dump())
    await uow.commit()
    return DemandResponseOut.model_validate(row)


@router.delete("/demand-response-events/{event_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_demand_response(
    event_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = DemandResponseService(uow, caller.organization_id, ctx.clock)
    await service.remove(event_id)
    await uow.commit()
