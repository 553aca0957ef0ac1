"""The column type for money: an exact `Decimal` on every database.

Stored as a whole number of millionths (BIGINT), so SQLite, which has no exact decimal type,
never passes an amount through a float, and SUM() is exact on both databases. Six decimals hold
every currency's minor unit and a per-kWh price's fraction of a cent; more are refused.
"""

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, TypeDecorator
from sqlalchemy.engine import Dialect

SCALE = 6


def to_micros(amount: Decimal) -> int:
    scaled = amount.scaleb(SCALE)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {SCALE} decimals")
    return int(scaled)


def from_micros(value: int) -> Decimal:
    return Decimal(value).scaleb(-SCALE)


class Amount(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_micros(int(value))
