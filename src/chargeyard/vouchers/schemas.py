"""Voucher and redemption request and response bodies; amounts are decimal strings."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from chargeyard.api.schemas import InCurrency, Input, Percentage

Code = Annotated[str, Field(min_length=3, max_length=64, pattern=r"^\s*[A-Za-z0-9_-]{3,64}\s*$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)]
Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=9, decimal_places=6)]


class VoucherCreate(Input):
    code: Code = Field(description="Compared case-insensitively; unique in the organization.")
    kind: Literal["amount", "percentage"]
    currency: Currency
    amount: Money | None = Field(None, description="An amount voucher's credit.")
    percent: Percent | None = Field(
        None, description="A percentage voucher's discount on the driver's next session charge."
    )
    max_amount: Money | None = Field(None, description="A percentage voucher's largest credit.")
    expires_at: AwareDatetime | None = None
    max_redemptions: Annotated[int, Field(ge=1, le=1_000_000_000)] | None = Field(
        1, description="1: single use; null: no limit."
    )
    per_driver_limit: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    description: Annotated[str, Field(max_length=500)] | None = None


class VoucherOut(InCurrency):
    AMOUNTS = ("amount", "max_amount")

    id: str
    code: str
    kind: str
    currency: str
    amount: Decimal | None
    percent: Percentage | None
    max_amount: Decimal | None
    expires_at: datetime | None
    max_redemptions: int | None
    per_driver_limit: int
    redemptions: int
    status: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class Redeem(Input):
    code: Annotated[str, Field(min_length=1, max_length=64)]


class RedemptionOut(InCurrency):
    AMOUNTS = ("amount",)

    id: str
    voucher_id: str
    driver_id: str
    status: str = Field(description="booked (amount), pending or applied (percentage).")
    amount: Decimal | None
    currency: str
    entry_id: int | None
    cdr_id: str | None
    redeemed_at: datetime
    applied_at: datetime | None
