"""Plans, subscriptions and their periods. A period row is written once per period, with the
ledger entry of its fee: the unique (subscription, number) pair is what makes a renewal happen
once, however many sweeps try it."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.amount import Amount
from chargeyard.storage.base import Base, Tracked, uuid_pk


class SubscriptionPlan(Tracked, Base):
    __tablename__ = "subscription_plans"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))
    fee: Mapped[Decimal] = mapped_column(Amount)  # per month
    currency: Mapped[str] = mapped_column(String(3))
    included_kwh: Mapped[Decimal | None] = mapped_column(Amount)  # per period
    discount_percent: Mapped[Decimal | None] = mapped_column(Amount)
    # Subscribers are priced by this group's tariff wherever the group applies, as if they
    # were its members (`tariff_groups/repository.py: applying`).
    tariff_group_id: Mapped[str | None] = mapped_column(ForeignKey("tariff_groups.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")


class Subscription(Tracked, Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        # One active subscription per driver, kept by the database: two activations racing
        # for the same driver cannot both commit.
        Index(
            "uq_subscriptions_active_driver",
            "driver_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    driver_id: Mapped[str] = mapped_column(ForeignKey("drivers.id"), index=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("subscription_plans.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    auto_renew: Mapped[bool] = mapped_column(default=True)
    started_at: Mapped[datetime]
    period_number: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))


class SubscriptionPeriod(Base):
    __tablename__ = "subscription_periods"
    __table_args__ = (UniqueConstraint("subscription_id", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    fee: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    fee_entry_id: Mapped[int | None] = mapped_column(BigId)
    used_kwh: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    # The refund of the fee's unused share when the subscription was cancelled in this period.
    refund_entry_id: Mapped[int | None] = mapped_column(BigId)
