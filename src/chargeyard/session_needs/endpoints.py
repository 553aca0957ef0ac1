"""/api/v1/transactions/{id}/charging-needs: what an operator sets on one session."""

from fastapi import APIRouter

from chargeyard.api.dependencies import OrganizationOperator, Reading, Server, Viewer, Writing
from chargeyard.api.limits import Id
from chargeyard.session_needs.schemas import SessionNeedsIn, SessionNeedsOut
from chargeyard.session_needs.service import SessionNeedService

router = APIRouter(tags=["smart charging"])


@router.patch("/transactions/{transaction_id}/charging-needs", response_model=SessionNeedsOut)
async def set_session_needs(
    transaction_id: Id,
    body: SessionNeedsIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> SessionNeedsOut:
    """What the vehicle on this session needs: overrides its vehicle's data and the EV's own."""
    service = SessionNeedService(uow, caller.organization_id, ctx.clock)
    row = await service.set(transaction_id, body.model_dump(exclude_unset=True))
    await uow.commit()
    return SessionNeedsOut.model_validate(row)


@router.get("/transactions/{transaction_id}/charging-needs", response_model=SessionNeedsOut)
async def get_session_needs(
    transaction_id: Id, caller: Viewer, uow: Reading, ctx: Server
) -> SessionNeedsOut:
    service = SessionNeedService(uow, caller.organization_id, ctx.clock)
    return SessionNeedsOut.model_validate(await service.get(transaction_id))
