"""/api/v1/circuits/{id}/capacity-windows: time-varying limits on a circuit."""

from fastapi import APIRouter, status

from chargeyard.api.dependencies import OrganizationOperator, Reading, Server, Viewer, Writing
from chargeyard.capacity_windows.schemas import WindowIn, WindowOut
from chargeyard.capacity_windows.service import CapacityWindowService
from chargeyard.circuits.repository import CircuitRepository

router = APIRouter(tags=["smart charging"])


@router.get("/circuits/{circuit_id}/capacity-windows", response_model=list[WindowOut])
async def list_windows(
    circuit_id: str, caller: Viewer, uow: Reading, ctx: Server
) -> list[WindowOut]:
    service = CapacityWindowService(uow, caller.organization_id, ctx.clock)
    row = await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
    return [WindowOut.model_validate(w) for w in await service.windows.on([row.id])]


@router.post(
    "/circuits/{circuit_id}/capacity-windows",
    status_code=status.HTTP_201_CREATED,
    response_model=WindowOut,
)
async def add_window(
    circuit_id: str, body: WindowIn, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> WindowOut:
    service = CapacityWindowService(uow, caller.organization_id, ctx.clock)
    circuit = await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
    window = await service.add(circuit, body.model_dump())
    await uow.commit()
    return WindowOut.model_validate(window)


@router.delete(
    "/circuits/{circuit_id}/capacity-windows/{window_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def remove_window(
    circuit_id: str, window_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = CapacityWindowService(uow, caller.organization_id, ctx.clock)
    circuit = await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
    await service.remove(circuit, window_id)
    await uow.commit()
