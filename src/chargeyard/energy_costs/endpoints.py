"""/api/v1/transactions/{id}/energy-cost and /api/v1/locations/{id}/margin: what electricity
cost the operator, per session and per site."""

from datetime import timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from chargeyard.api.dependencies import Reading, Server, Viewer
from chargeyard.api.limits import Id, Moment
from chargeyard.clock import as_utc
from chargeyard.energy_costs.repository import EnergyCostRepository
from chargeyard.energy_costs.schemas import EnergyCostOut, SiteMarginOut, SiteMarginTotal
from chargeyard.energy_costs.service import EnergyCostService
from chargeyard.errors import NotFound

router = APIRouter(tags=["energy-costs"])

DEFAULT_PERIOD = timedelta(days=30)


@router.get("/transactions/{transaction_id}/energy-cost", response_model=EnergyCostOut)
async def session_energy_cost(transaction_id: Id, caller: Viewer, uow: Reading) -> EnergyCostOut:
    """Recorded when a priced session stops; 404 for a running or unpriced one."""
    row = await EnergyCostRepository(uow.session, caller.organization_id).find(transaction_id)
    if row is None:
        raise NotFound(
            f"Transaction {transaction_id} has no energy cost (not finished, or not priced)"
        )
    return EnergyCostOut.of(row)


@router.get("/locations/{location_id}/margin", response_model=SiteMarginOut)
async def site_margin(
    location_id: str,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    start: Annotated[Moment | None, Query(alias="from")] = None,
    end: Annotated[Moment | None, Query(alias="to")] = None,
) -> SiteMarginOut:
    """Sessions that stopped in [from, to) at the location or any location below it, summed per
    currency; `to` defaults to now and `from` to 30 days before `to`."""
    end = as_utc(end) if end is not None else ctx.clock()
    start = as_utc(start) if start is not None else end - DEFAULT_PERIOD
    service = EnergyCostService(uow, caller.organization_id)
    totals = await service.site(location_id, start, end)
    return SiteMarginOut(
        location_id=location_id,
        start=start,
        end=end,
        totals=[
            SiteMarginTotal(
                currency=t.currency,
                sessions=t.sessions,
                energy_kwh=Decimal(t.energy_wh) / 1000,
                priced_kwh=Decimal(t.priced_wh) / 1000,
                energy_cost=t.energy_cost,
                revenue_excl_tax=t.revenue_excl_tax,
                margin=t.margin,
            )
            for t in totals
        ],
    )
