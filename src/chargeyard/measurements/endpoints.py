"""/api/v1/circuits/{id}/measurements: building baseload and solar production posted for a
circuit (a circuit's load read back is `/api/v1/timeseries/circuits/{id}`, `timeseries/`)."""

from typing import Annotated

from fastapi import APIRouter, Body, status

from chargeyard.api.dependencies import OrganizationOperator, Server, Writing
from chargeyard.api.limits import LIST_MAX_ITEMS
from chargeyard.circuits.repository import CircuitRepository
from chargeyard.measurements.schemas import MeasurementIn, MeasurementOut
from chargeyard.measurements.service import MeasurementService

router = APIRouter(tags=["smart charging"])


@router.post(
    "/circuits/{circuit_id}/measurements",
    status_code=status.HTTP_201_CREATED,
    response_model=list[MeasurementOut],
)
async def add_measurements(
    circuit_id: str,
    body: Annotated[list[MeasurementIn], Body(max_length=LIST_MAX_ITEMS)],
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> list[MeasurementOut]:
    """Building baseload and solar production, measured or forecast (bulk)."""
    service = MeasurementService(uow, caller.organization_id, ctx.clock)
    circuit = await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
    rows = await service.add(circuit, [m.model_dump() for m in body])
    await uow.commit()
    return [MeasurementOut.model_validate(r) for r in rows]
