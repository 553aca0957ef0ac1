"""/api/v1/circuits: the circuit tree smart charging keeps within (a circuit's capacity windows,
measurements and plans are `capacity_windows/`, `measurements/` and `load_management/`)."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
    conditional_update,
    set_etag,
    to_change,
)
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.circuits import schemas as s
from chargeyard.circuits.models import CircuitRow
from chargeyard.circuits.service import CircuitService

router = APIRouter(tags=["smart charging"])


def _circuit(row: CircuitRow, response: Response) -> s.CircuitOut:
    set_etag(response, row.id, row.revision)
    return s.CircuitOut.model_validate(row)


@router.get("/circuits", response_model=ListOf[s.CircuitOut], dependencies=[StrictQuery])
async def list_circuits(
    caller: Viewer, uow: Reading, ctx: Server, paging: Paging, parent_id: str | None = None
) -> ListOf[s.CircuitOut]:
    service = CircuitService(uow, caller.organization_id, ctx.clock)
    return listing(await service.circuits.search(paging, parent_id), paging, s.CircuitOut)


@router.post("/circuits", status_code=status.HTTP_201_CREATED, response_model=s.CircuitOut)
async def create_circuit(
    body: s.CircuitCreate,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    response: Response,
) -> s.CircuitOut:
    service = CircuitService(uow, caller.organization_id, ctx.clock)
    row = await service.create(body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/circuits/{row.id}"
    return _circuit(row, response)


@router.get("/circuits/{circuit_id}", response_model=s.CircuitOut)
async def get_circuit(
    circuit_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> s.CircuitOut:
    service = CircuitService(uow, caller.organization_id, ctx.clock)
    return _circuit(await service.circuits.get(circuit_id), response)


@router.patch("/circuits/{circuit_id}", response_model=s.CircuitOut)
async def update_circuit(
    circuit_id: str,
    body: s.CircuitPatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> s.CircuitOut:
    service = CircuitService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.circuits,
        circuit_id,
        body,
        service.update,
        uow,
        request,
        response,
        replace=False,
    )
    return s.CircuitOut.model_validate(row)


@router.delete("/circuits/{circuit_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_circuit(
    circuit_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = CircuitService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.circuits, circuit_id, request))
    await uow.commit()
