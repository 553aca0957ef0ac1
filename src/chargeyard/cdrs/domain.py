"""Building a CDR document from a session's cost, and the credit CDR that cancels one. Pure.

The document follows OCPI 2.2.1's CDR object: `charging_periods` with `dimensions` (ENERGY in
kWh, TIME or PARKING_TIME in hours), totals per dimension, `total_cost` with and without tax
(`excl_vat`, `incl_vat`), the tariff snapshot it was priced with, the token and the location.
Volumes are rounded to 6 decimals for display; costs are the costing's rounded amounts.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from chargeyard.costing.domain import Cost, Price
from chargeyard.costing.evidence import ChargingState
from chargeyard.money import money_text
from chargeyard.tariffs.domain import Dimension

_VOLUME = Decimal("0.000001")


@dataclass(frozen=True)
class SessionFacts:
    """What the CDR says about the session besides its cost."""

    transaction_id: int
    station_id: str
    evse_id: int
    connector_id: int
    started_at: datetime
    stopped_at: datetime
    id_tag: str | None
    token_type: str | None
    auth_status: str
    location: dict[str, Any] | None


def volume(value: Fraction) -> str:
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_VOLUME, ROUND_HALF_UP)
    )


def _price(price: Price, currency: str) -> dict[str, str]:
    return {
        "excl_vat": money_text(price.excl_tax, currency),
        "incl_vat": money_text(price.incl_tax, currency),
    }


def document(
    cdr_id: str, cost: Cost, tariff: dict[str, Any], facts: SessionFacts
) -> dict[str, Any]:
    currency = cost.currency
    by = cost.by_dimension
    return {
        "id": cdr_id,
        "start_date_time": facts.started_at.isoformat(),
        "end_date_time": facts.stopped_at.isoformat(),
        "session_id": str(facts.transaction_id),
        "cdr_token": {
            "uid": facts.id_tag,
            "type": "RFID" if facts.token_type in (None, "ISO14443", "ISO15693") else "OTHER",
            "contract_id": facts.id_tag,
        },
        "auth_method": "AUTH_REQUEST",
        "cdr_location": {
            **(facts.location or {}),
            "station_id": facts.station_id,
            "evse_uid": f"{facts.station_id}*{facts.evse_id}",
            "evse_id": facts.evse_id,
            "connector_id": str(facts.connector_id),
        },
        "currency": currency,
        "tariffs": [tariff],
        "charging_periods": [
            {
                "start_date_time": period.start.isoformat(),
                "dimensions": [
                    {"type": "ENERGY", "volume": volume(period.energy_kwh)},
                    {
                        "type": "TIME"
                        if period.state is ChargingState.CHARGING
                        else "PARKING_TIME",
                        "volume": volume(period.hours),
                    },
                ],
                "tariff_id": tariff["id"],
            }
            for period in cost.periods
        ],
        "total_cost": _price(cost.total, currency),
        "total_fixed_cost": _price(by[Dimension.FLAT], currency),
        "total_energy": volume(cost.energy_kwh),
        "total_energy_cost": _price(by[Dimension.ENERGY], currency),
        "total_time": volume(cost.time_hours + cost.parking_hours),
        "total_time_cost": _price(by[Dimension.TIME], currency),
        "total_parking_time": volume(cost.parking_hours),
        "total_parking_cost": _price(by[Dimension.PARKING_TIME], currency),
        # Chargeyard's extension: the tariff's idle fee (billing.md), part of total_cost.
        "total_idle_time": volume(cost.idle_hours),
        "total_idle_cost": _price(cost.idle, currency),
        "credit": False,
        "credit_reference_id": None,
        "remark": None,
    }


_PRICES = (
    "total_cost",
    "total_fixed_cost",
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_idle_cost",
)


def credit_document(cdr_id: str, original: dict[str, Any], remark: str | None) -> dict[str, Any]:
    """The credit CDR for `original`: the same session with every amount negated (OCPI's way
    of cancelling a CDR that was sent; the original stays as it was)."""
    credit = {**original, "id": cdr_id, "credit": True, "credit_reference_id": original["id"]}
    for name in (name for name in _PRICES if name in original):
        credit[name] = {key: _negated(value) for key, value in original[name].items()}
    credit["remark"] = remark
    return credit


def _negated(text: str) -> str:
    value = -Decimal(text)
    return str(value if value != 0 else abs(value))
