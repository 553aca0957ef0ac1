"""CDR response and request bodies."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from chargeyard.api.schemas import InCurrency, Input


class CdrOut(InCurrency):
    """The columns lists filter on, and `document`, the OCPI 2.2.1-shaped record."""

    AMOUNTS = ("total_excl_tax", "total_incl_tax")

    id: str
    transaction_id: int
    station_id: str
    id_tag: str | None
    driver_id: str | None
    currency: str
    total_excl_tax: Decimal
    total_incl_tax: Decimal
    credit: bool
    credit_reference_id: str | None
    started_at: datetime
    stopped_at: datetime
    created_at: datetime
    document: dict[str, Any]


class CreditRequest(Input):
    remark: Annotated[str, Field(max_length=255)] | None = None
