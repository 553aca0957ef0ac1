"""Transaction and meter value response bodies."""

from datetime import datetime
from decimal import Decimal

from chargeyard.api.schemas import InCurrency, Resource


class CostOut(InCurrency):
    """Decimal strings with the currency's minor unit; `final` once the session stopped."""

    AMOUNTS = ("excl_tax", "incl_tax")

    currency: str
    excl_tax: Decimal
    incl_tax: Decimal
    final: bool
    tariff_id: str | None
    tariff_version: int | None


class TransactionOut(Resource):
    id: int
    station_id: str
    evse_id: int
    connector_id: int
    ocpp_transaction_id: str | None
    id_tag: str | None
    auth_status: str
    reservation_id: int | None
    started_at: datetime
    stopped_at: datetime | None
    meter_start_wh: int
    meter_stop_wh: int | None
    energy_wh: int | None
    stop_reason: str | None
    stop_id_tag: str | None
    force_stopped: bool
    last_meter_wh: int | None
    last_power_w: float | None
    last_soc: float | None
    last_meter_at: datetime | None
    cost: CostOut | None = None
    # What the session's electricity cost the operator, and `cost.excl_tax` minus that: set on
    # GET /transactions/{id} once a priced session has stopped (energy_costs/, billing.md).
    energy_cost: Decimal | None = None
    margin: Decimal | None = None
    updated_at: datetime


class MeterValueOut(Resource):
    id: int
    station_id: str
    transaction_id: int | None
    evse_id: int
    connector_id: int
    timestamp: datetime
    measurand: str
    phase: str | None
    unit: str | None
    context: str | None
    location: str | None
    format: str | None
    value: str
    numeric_value: float | None
