"""Energy cost and margin response bodies: amounts in the session's currency's minor unit,
energy in kWh."""

from datetime import datetime
from decimal import Decimal

from chargeyard.api.schemas import InCurrency, Resource
from chargeyard.energy_costs.models import SessionEnergyCost


class EnergyCostOut(InCurrency):
    """A finished priced session's electricity cost to the operator and the margin left."""

    AMOUNTS = ("energy_cost", "revenue_excl_tax", "margin")

    currency: str
    energy_kwh: Decimal
    priced_kwh: Decimal
    energy_cost: Decimal
    revenue_excl_tax: Decimal
    margin: Decimal

    @classmethod
    def of(cls, row: SessionEnergyCost) -> "EnergyCostOut":
        return cls(
            currency=row.currency,
            energy_kwh=Decimal(row.energy_wh) / 1000,
            priced_kwh=Decimal(row.priced_wh) / 1000,
            energy_cost=row.energy_cost,
            revenue_excl_tax=row.revenue_excl_tax,
            margin=row.margin,
        )


class SiteMarginTotal(EnergyCostOut):
    sessions: int


class SiteMarginOut(Resource):
    location_id: str
    start: datetime
    end: datetime
    totals: list[SiteMarginTotal]
