"""Subscription use cases: plans, activating a plan for a driver, cancelling, the end of a
period (renewal or expiry) and the subscription's benefit on a session charge. Never commits.

Every change of a subscription's state is a `subscription.changed` event in the same
transaction; every fee and benefit is a ledger entry (`drivers/service.py: DriverService.book`),
so it is also a `driver.balance_changed` event.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chargeyard.clock import Clock, as_utc
from chargeyard.costing.domain import Cost
from chargeyard.drivers.domain import EntryKind, PaymentMode
from chargeyard.drivers.models import Driver
from chargeyard.drivers.service import Booking, DriverService
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import SUBSCRIPTION_CHANGED, SubscriptionChanged
from chargeyard.events.recorder import record_event
from chargeyard.money import is_currency
from chargeyard.storage.base import new_id
from chargeyard.storage.session import flushed_unique
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.subscriptions.domain import (
    PlanStatus,
    RefundRule,
    Renewal,
    SubscriptionStatus,
    period_bounds,
    refund,
    renewal,
    session_benefit,
    unused_share,
)
from chargeyard.subscriptions.models import Subscription, SubscriptionPeriod, SubscriptionPlan
from chargeyard.subscriptions.repository import PlanRepository, SubscriptionRepository
from chargeyard.tariff_groups.repository import TariffGroupRepository
from chargeyard.tariffs.domain import Dimension


@dataclass(frozen=True)
class PlanDraft:
    name: str
    fee: Decimal
    currency: str
    included_kwh: Decimal | None = None
    discount_percent: Decimal | None = None
    description: str | None = None
    tariff_group_id: str | None = None


class SubscriptionService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.plans = PlanRepository(uow.session, organization_id)
        self.subscriptions = SubscriptionRepository(uow.session, organization_id)
        self.drivers = DriverService(uow, organization_id, clock)

    async def create_plan(self, draft: PlanDraft) -> SubscriptionPlan:
        if not is_currency(draft.currency):
            raise Invalid("currency: an ISO 4217 code such as EUR")
        if draft.fee < 0:
            raise Invalid("fee: zero or more")
        if draft.discount_percent is not None and not 0 <= draft.discount_percent <= 100:
            raise Invalid("discount_percent: 0 to 100")
        if draft.tariff_group_id is not None and (
            await TariffGroupRepository(self.uow.session, self.organization_id).find(
                draft.tariff_group_id
            )
            is None
        ):
            raise Invalid(f"tariff_group_id: tariff group {draft.tariff_group_id!r} does not exist")
        plan = SubscriptionPlan(
            id=new_id(),
            organization_id=self.organization_id,
            name=draft.name,
            description=draft.description,
            fee=draft.fee,
            currency=draft.currency,
            included_kwh=draft.included_kwh,
            discount_percent=draft.discount_percent,
            tariff_group_id=draft.tariff_group_id,
            status=PlanStatus.ACTIVE.value,
            revision=1,
        )
        self.plans.add(plan)
        await self.uow.session.flush()
        return plan

    def update_plan(self, plan: SubscriptionPlan, changes: dict[str, Any]) -> SubscriptionPlan:
        """Name, description and status only: a plan's price and benefits are what drivers
        subscribed to; other terms are a new plan (retire the old one)."""
        for name, value in changes.items():
            setattr(plan, name, value)
        if changes:
            plan.touch()
        return plan

    async def activate(
        self, driver: Driver, plan_id: str, *, auto_renew: bool = True
    ) -> Subscription:
        """Subscribe the driver to the plan from now, and book the first period's fee."""
        plan = await self.plans.find(plan_id)
        if plan is None:
            raise Invalid(f"plan_id: subscription plan {plan_id!r} does not exist")
        if plan.status != PlanStatus.ACTIVE.value:
            raise Conflict("this plan is retired: it takes no new subscriptions")
        if plan.currency != driver.currency:
            raise Invalid(
                f"plan_id: this plan is in {plan.currency}; the driver's ledger is in "
                f"{driver.currency}"
            )
        if await self.subscriptions.active_for(driver.id) is not None:
            raise Conflict("this driver has an active subscription already; cancel it first")
        prepaid = driver.payment_mode == PaymentMode.PREPAID.value
        if prepaid and plan.fee > 0 and await self.drivers.balance(driver) < plan.fee:
            raise Conflict("the driver's prepaid balance does not cover the plan's fee")
        now = self.clock()
        start, end = period_bounds(now, 1)
        subscription = Subscription(
            id=new_id(),
            organization_id=self.organization_id,
            driver_id=driver.id,
            plan_id=plan.id,
            status=SubscriptionStatus.ACTIVE.value,
            auto_renew=auto_renew,
            started_at=now,
            period_number=1,
            period_start=start,
            period_end=end,
            revision=1,
        )
        self.subscriptions.add(subscription)
        if not await flushed_unique(self.uow.session):  # another activation committed first
            raise Conflict("this driver has an active subscription already")
        await self._open_period(driver, plan, subscription)
        self._event(subscription, "activated")
        return subscription

    async def cancel(
        self, subscription: Subscription, rule: RefundRule = RefundRule.UNUSED
    ) -> Subscription:
        """End the subscription now: its benefits stop, and the current period's fee is refunded
        on the driver's ledger by `rule` (by default its unused share: `domain.unused_share`).
        Once only: a second cancel is a 409, and the period keeps its refund's entry. To let it
        run to the end of the period instead, turn `auto_renew` off."""
        if subscription.status != SubscriptionStatus.ACTIVE.value:
            raise Conflict(f"this subscription is {subscription.status} already")
        await self._claim(subscription)
        self._end(subscription, SubscriptionStatus.CANCELED, "canceled")
        await self._refund(subscription, rule)
        self._event(subscription, "canceled")
        return subscription

    async def _refund(self, subscription: Subscription, rule: RefundRule) -> None:
        period = await self.subscriptions.period(subscription.id, subscription.period_number)
        if period is None or period.fee_entry_id is None or period.refund_entry_id is not None:
            return  # a free period, or one refunded already
        plan = await self.plans.get(subscription.plan_id)
        share = unused_share(
            as_utc(period.starts_at),
            as_utc(period.ends_at),
            self.clock(),
            plan.included_kwh,
            period.used_kwh,
        )
        amount = refund(period.fee, share, rule, period.currency)
        if amount <= 0:
            return
        driver = await self.drivers.drivers.get(subscription.driver_id)
        entry = await self.drivers.book(
            driver,
            Booking(
                EntryKind.REFUND,
                amount,
                period.currency,
                f"subscription {plan.name}, period {period.number}: {rule.value} fee refunded "
                "at cancellation",
            ),
        )
        period.refund_entry_id = entry.id

    async def set_auto_renew(self, subscription: Subscription, auto_renew: bool) -> Subscription:
        if subscription.status != SubscriptionStatus.ACTIVE.value:
            raise Conflict(f"this subscription is {subscription.status}")
        if subscription.auto_renew != auto_renew:
            await self._claim(subscription)
            subscription.auto_renew = auto_renew
            subscription.touch()
            self._event(subscription, "auto_renew_changed")
        return subscription

    async def period_ended(self, subscription: Subscription) -> Renewal | None:
        """Renew or expire a subscription whose period is over. Idempotent: a subscription
        that is not due (renewed or ended already, by this sweep or another) is left alone and
        None returned; so is one another writer changed since it was read."""
        now = self.clock()
        if (
            subscription.status != SubscriptionStatus.ACTIVE.value
            or as_utc(subscription.period_end) > now
        ):
            return None
        if not await self.subscriptions.claim(subscription):
            return None
        plan = await self.plans.get(subscription.plan_id)
        driver = await self.drivers.drivers.get(subscription.driver_id)
        outcome = renewal(
            subscription.auto_renew,
            PlanStatus(plan.status),
            driver.payment_mode == PaymentMode.PREPAID.value,
            await self.drivers.balance(driver),
            plan.fee,
        )
        if outcome is not Renewal.RENEW:
            self._end(subscription, SubscriptionStatus.EXPIRED, outcome.value)
            subscription.ended_at = as_utc(subscription.period_end)
            self._event(subscription, "expired")
            return outcome
        subscription.period_number += 1
        subscription.period_start, subscription.period_end = period_bounds(
            as_utc(subscription.started_at), subscription.period_number
        )
        subscription.touch()
        # The period's row is unique per number: should two renewals ever get this far, the
        # second fails here and its transaction is rolled back, fee and all.
        await self._open_period(driver, plan, subscription)
        self._event(subscription, "renewed")
        return outcome

    async def discount_session(self, driver: Driver, cdr_id: str, cost: Cost) -> Decimal:
        """Book the driver's subscription benefit on a session charge just booked for a CDR
        (a `discount` entry with the CDR's id); the CDR itself stays as issued. Returns the
        credit. A session counts for the subscription active when it is billed (its CDR is
        issued), and its energy for that subscription's current period."""
        subscription = await self.subscriptions.active_for(driver.id)
        if subscription is None:
            return Decimal(0)
        plan = await self.plans.get(subscription.plan_id)
        if plan.currency != cost.currency:
            return Decimal(0)
        period = await self.subscriptions.period(subscription.id, subscription.period_number)
        if period is None:
            return Decimal(0)
        remaining = (
            None
            if plan.included_kwh is None
            else max(Decimal(0), plan.included_kwh - period.used_kwh)
        )
        energy = cost.by_dimension.get(Dimension.ENERGY)
        benefit = session_benefit(
            cost.total.incl_tax,
            cost.energy_kwh,
            Decimal(0) if energy is None else energy.incl_tax,
            remaining,
            plan.discount_percent,
            cost.currency,
        )
        period.used_kwh += benefit.covered_kwh
        if benefit.amount > 0:
            parts = []
            if benefit.covered_kwh > 0:
                parts.append(f"{benefit.covered_kwh.normalize():f} kWh included")
            if plan.discount_percent:
                parts.append(f"{plan.discount_percent.normalize():f} % off")
            await self.drivers.book(
                driver,
                Booking(
                    EntryKind.DISCOUNT,
                    benefit.amount,
                    cost.currency,
                    f"subscription {plan.name}: {', '.join(parts)}",
                    cdr_id=cdr_id,
                ),
            )
        return benefit.amount

    async def _open_period(
        self, driver: Driver, plan: SubscriptionPlan, subscription: Subscription
    ) -> None:
        period = SubscriptionPeriod(
            organization_id=self.organization_id,
            subscription_id=subscription.id,
            number=subscription.period_number,
            starts_at=subscription.period_start,
            ends_at=subscription.period_end,
            fee=plan.fee,
            currency=plan.currency,
            used_kwh=Decimal(0),
        )
        self.subscriptions.add_period(period)
        await self.uow.session.flush()
        if plan.fee > 0:
            entry = await self.drivers.book(
                driver,
                Booking(
                    EntryKind.SUBSCRIPTION_FEE,
                    plan.fee,
                    plan.currency,
                    f"subscription {plan.name}, period {subscription.period_number}",
                ),
            )
            period.fee_entry_id = entry.id

    async def _claim(self, subscription: Subscription) -> None:
        """An operator's change must not cross a renewal committed since the subscription was
        read (a cancel would otherwise undo a period whose fee was just booked)."""
        if not await self.subscriptions.claim(subscription):
            raise Conflict("the subscription changed meanwhile (renewed or ended); read it again")

    def _end(self, subscription: Subscription, status: SubscriptionStatus, reason: str) -> None:
        subscription.status = status.value
        subscription.ended_at = self.clock()
        subscription.end_reason = reason
        subscription.touch()

    def _event(self, subscription: Subscription, change: str) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=SUBSCRIPTION_CHANGED,
            occurred_at=self.clock(),
            data=SubscriptionChanged(
                {
                    "subscription_id": subscription.id,
                    "driver_id": subscription.driver_id,
                    "plan_id": subscription.plan_id,
                    "status": subscription.status,
                    "change": change,
                    "auto_renew": subscription.auto_renew,
                    "period_number": subscription.period_number,
                    "period_start": as_utc(subscription.period_start).isoformat(),
                    "period_end": as_utc(subscription.period_end).isoformat(),
                    "end_reason": subscription.end_reason,
                }
            ),
        )
