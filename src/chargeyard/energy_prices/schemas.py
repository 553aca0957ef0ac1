"""Request and response bodies of /api/v1/energy-prices."""

from datetime import datetime
from decimal import Decimal

from chargeyard.api.schemas import Input, Resource


class PriceIn(Input):
    starts_at: datetime
    ends_at: datetime
    price_per_kwh: Decimal
    circuit_id: str | None = None


class PriceOut(Resource):
    id: str
    circuit_id: str | None
    starts_at: datetime
    ends_at: datetime
    price_per_kwh: Decimal
