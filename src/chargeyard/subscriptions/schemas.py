"""Plan and subscription request and response bodies; amounts are decimal strings."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer

from chargeyard.api.schemas import InCurrency, Input, Percentage, Resource, refuse_null

Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=500)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
Kwh = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)]
Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=9, decimal_places=6)]
KwhOut = Annotated[
    Decimal, PlainSerializer(lambda v: f"{v:.6f}", return_type=str, when_used="json")
]  # like a CDR's volumes


class PlanCreate(Input):
    name: Name
    fee: Money = Field(description="Booked on the driver's ledger every month.")
    currency: Currency
    included_kwh: Kwh | None = Field(None, description="Energy included in each period.")
    discount_percent: Percent | None = Field(
        None, description="Discount on session charges beyond the included energy."
    )
    description: Description | None = None
    tariff_group_id: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        None,
        description="Subscribers are priced by this tariff group's tariff wherever the group "
        "applies, as its members are.",
    )


class PlanPatch(Input):
    name: Name | None = None
    description: Description | None = None
    status: Literal["active", "retired"] | None = None

    _not_null = refuse_null("name", "status")


class PlanOut(InCurrency):
    AMOUNTS = ("fee",)

    id: str
    name: str
    description: str | None
    fee: Decimal
    currency: str
    included_kwh: KwhOut | None
    discount_percent: Percentage | None
    tariff_group_id: str | None
    status: str
    created_at: datetime
    updated_at: datetime


class Activate(Input):
    plan_id: Annotated[str, Field(min_length=1, max_length=64)]
    auto_renew: bool = True


class Cancel(Input):
    refund: Literal["unused", "full", "none"] = Field(
        "unused",
        description="What the driver gets back of the current period's fee: its unused share "
        "(the time left of the period, no more than the included energy left), all of it, or "
        "nothing.",
    )


class SubscriptionPatch(Input):
    auto_renew: bool = Field(description="Off: the subscription expires at its period's end.")


class PeriodOut(InCurrency):
    AMOUNTS = ("fee",)

    number: int
    starts_at: datetime
    ends_at: datetime
    fee: Decimal
    currency: str
    fee_entry_id: int | None
    used_kwh: KwhOut
    refund_entry_id: int | None = Field(
        description="The ledger entry that refunded this period's fee at cancellation."
    )


class SubscriptionOut(Resource):
    id: str
    driver_id: str
    plan_id: str
    status: str = Field(description="active, canceled or expired.")
    auto_renew: bool
    started_at: datetime
    period_number: int
    period_start: datetime
    period_end: datetime
    ended_at: datetime | None
    end_reason: str | None = Field(
        description="canceled, not_renewed, plan_retired or insufficient_balance."
    )
    created_at: datetime
    updated_at: datetime


class SubscriptionDetail(SubscriptionOut):
    periods: list[PeriodOut]
