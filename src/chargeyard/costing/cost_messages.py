"""The Open Charge Alliance's cost messages for OCPP 1.6 stations, which have no message of
their own for prices: DataTransfer with vendorId `org.openchargealliance.costmsg`, as the OCA
application note "OCPP & California Pricing Requirements" defines them (and libocpp/EVerest and
MicroOcpp implement them). Pure: the `data` of each message, from what Chargeyard already
computed; `cost_message_sender.py` sends them.

- `SetUserPrice` (after an accepted Authorize): `idToken` and the `priceText` a driver reads, the
  tariff line of `price_display.py`.
- `RunningCost` (after the session's cost changed): `transactionId`, `timestamp` and
  `meterValue` (Wh) of the reading the cost is based on, `cost` (Chargeyard's live cost,
  including tax), `state` (`Charging`, or `Idle` while the session is parked), `chargingPrice`
  (`kWhPrice`, `hourPrice`, `flatFee` in force now) and, where the tariff charges for idling,
  `idlePrice` (`graceMinutes`, `hourPrice`); with these a station can count on between updates.
- `FinalCost` (once the session has stopped): `transactionId`, `cost` (the final cost including
  tax, the CDR's total) and a `priceText` summing it up.

Prices are stated including tax, like the cost. The optional `nextPeriod` and
`triggerMeterValue` are not sent: Chargeyard sends a new RunningCost whenever the cost changes.
"""

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chargeyard.money import money_text, wire_number
from chargeyard.tariffs.domain import Dimension, TariffDefinition

VENDOR_ID = "org.openchargealliance.costmsg"
SET_USER_PRICE = "SetUserPrice"
RUNNING_COST = "RunningCost"
FINAL_COST = "FinalCost"

_CHARGING_PRICES = (
    (Dimension.ENERGY, "kWhPrice"),
    (Dimension.TIME, "hourPrice"),
    (Dimension.FLAT, "flatFee"),
)


def encoded(data: Mapping[str, Any]) -> str:
    """1.6's DataTransfer `data` is a string: the message as compact JSON."""
    return json.dumps(data, separators=(",", ":"))


def set_user_price(id_tag: str, price_text: str) -> dict[str, Any]:
    return {"idToken": id_tag, "priceText": price_text}


def running_cost(
    *,
    transaction_id: int,
    timestamp: datetime,
    meter_wh: int,
    cost: Decimal,
    idle: bool,
    tariff: TariffDefinition,
    prices: Mapping[Dimension, Fraction],
) -> dict[str, Any]:
    """`prices`: each dimension's price including tax in force now
    (`price_display.prices_in_force`)."""
    found: dict[str, Any] = {
        "transactionId": transaction_id,
        "timestamp": _utc(timestamp),
        "meterValue": meter_wh,
        "cost": wire_number(cost),
        "state": "Idle" if idle else "Charging",
        "chargingPrice": {
            name: wire_number(prices.get(dimension, Fraction(0)))
            for dimension, name in _CHARGING_PRICES
        },
    }
    idle_price = _idle_price(tariff, prices)
    if idle_price is not None:
        found["idlePrice"] = idle_price
    return found


def _utc(at: datetime) -> str:
    """A stored time is UTC, though SQLite gives it back without its zone."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _idle_price(
    tariff: TariffDefinition, prices: Mapping[Dimension, Fraction]
) -> dict[str, Any] | None:
    """The idle fee (with its grace period), else the parking-time price in force."""
    idle = tariff.idle_fee
    if idle is not None:
        price = tariff.split(Fraction(idle.price), tariff.rate(idle))[1]
        return {"graceMinutes": idle.grace_minutes, "hourPrice": wire_number(price)}
    parking = prices.get(Dimension.PARKING_TIME)
    return None if parking is None else {"hourPrice": wire_number(parking)}


def final_cost(
    *, transaction_id: int, cost: Decimal, currency: str, energy_wh: int, duration: timedelta
) -> dict[str, Any]:
    minutes = int(duration.total_seconds() // 60)
    kwh = Decimal(energy_wh) / 1000
    text = (
        f"{kwh:.2f} kWh, {minutes // 60}:{minutes % 60:02d} h, "
        f"total {money_text(cost, currency)} {currency} incl. tax"
    )
    return {"transactionId": transaction_id, "cost": wire_number(cost), "priceText": text}
