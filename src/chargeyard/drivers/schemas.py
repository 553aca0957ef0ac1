"""Driver, ledger and top-up request and response bodies; amounts are decimal strings."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from chargeyard.api.schemas import InCurrency, Input, refuse_null

Name = Annotated[str, Field(min_length=1, max_length=200)]
Email = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Positive = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)]
Status = Literal["enabled", "disabled"]
Mode = Literal["prepaid", "postpaid"]


class DriverOut(InCurrency):
    AMOUNTS = ("balance",)

    id: str
    name: str
    email: str
    status: str
    payment_mode: str
    currency: str
    balance: Decimal
    id_tags: list[str]
    created_at: datetime
    updated_at: datetime


class DriverCreate(Input):
    name: Name
    email: Email
    status: Status = "enabled"
    payment_mode: Mode = "postpaid"
    currency: Currency = "EUR"
    id_tags: list[Annotated[str, Field(min_length=1, max_length=36)]] = Field(
        default_factory=list, description="Values of existing ID tags that belong to the driver."
    )


class DriverPatch(Input):
    name: Name | None = None
    email: Email | None = None
    status: Status | None = None
    payment_mode: Mode | None = None
    currency: Currency | None = None

    _not_null = refuse_null("name", "email", "status", "payment_mode", "currency")


class TagLink(Input):
    id_tag: Annotated[str, Field(min_length=1, max_length=36)]


class TopUp(Input):
    """A manual payment: the operator records money the driver paid."""

    amount: Positive
    currency: Currency
    reference: Annotated[str, Field(max_length=200)] | None = None


class Fee(Input):
    amount: Positive
    currency: Currency
    description: Annotated[str, Field(min_length=1, max_length=500)]


class Adjustment(Input):
    """A refund (credits the driver) or a correction (signed: negative debits)."""

    kind: Literal["refund", "correction"]
    amount: Annotated[Decimal, Field(max_digits=18, decimal_places=6)]
    currency: Currency
    description: Annotated[str, Field(min_length=1, max_length=500)]


class LedgerEntryOut(InCurrency):
    AMOUNTS = ("amount",)

    id: int
    kind: str
    amount: Decimal
    currency: str
    description: str | None
    cdr_id: str | None
    payment_id: str | None
    created_at: datetime
