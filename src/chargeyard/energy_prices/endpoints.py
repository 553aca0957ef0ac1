"""/api/v1/energy-prices: time-of-use prices, per circuit or for the whole organization."""

from typing import Annotated

from fastapi import APIRouter, Body, status

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
)
from chargeyard.api.limits import LIST_MAX_ITEMS
from chargeyard.api.schemas import ListOf, listing
from chargeyard.energy_prices.schemas import PriceIn, PriceOut
from chargeyard.energy_prices.service import PriceService

router = APIRouter(tags=["smart charging"])


@router.get("/energy-prices", response_model=ListOf[PriceOut])
async def list_prices(
    caller: Viewer, uow: Reading, ctx: Server, paging: Paging
) -> ListOf[PriceOut]:
    service = PriceService(uow, caller.organization_id, ctx.clock)
    return listing(await service.prices.search(paging), paging, PriceOut)


@router.post("/energy-prices", status_code=status.HTTP_201_CREATED, response_model=list[PriceOut])
async def add_prices(
    body: Annotated[list[PriceIn], Body(max_length=LIST_MAX_ITEMS)],
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> list[PriceOut]:
    """Time-of-use prices (bulk); a circuit's own prices win over the organization's."""
    service = PriceService(uow, caller.organization_id, ctx.clock)
    rows = await service.add([p.model_dump() for p in body])
    await uow.commit()
    return [PriceOut.model_validate(r) for r in rows]


@router.delete("/energy-prices/{price_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_price(
    price_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = PriceService(uow, caller.organization_id, ctx.clock)
    await service.remove(price_id)
    await uow.commit()
