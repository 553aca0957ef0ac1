"""All SQL about subscription plans, subscriptions and their periods."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
)
from chargeyard.subscriptions.domain import SubscriptionStatus
from chargeyard.subscriptions.models import Subscription, SubscriptionPeriod, SubscriptionPlan


class PlanRepository(ScopedRepository[SubscriptionPlan]):
    model = SubscriptionPlan
    noun = "Subscription plan"

    async def search(
        self, page: Page, *, status: str | None = None, updated_since: datetime | None = None
    ) -> PageResult[SubscriptionPlan]:
        statement = matching(self.query(), (SubscriptionPlan.status, status))
        return await self.page(
            statement,
            page,
            order_by=[SubscriptionPlan.name, SubscriptionPlan.id],
            updated_since=updated_since,
        )

    async def names(self, ids: Sequence[str]) -> dict[str, str]:
        """Plan names by id, for pages that list subscriptions."""
        if not ids:
            return {}
        result = await self.session.execute(
            select(SubscriptionPlan.id, SubscriptionPlan.name).where(
                owned_by(SubscriptionPlan, self.organization_id), SubscriptionPlan.id.in_(set(ids))
            )
        )
        return {plan_id: name for plan_id, name in result}


class SubscriptionRepository(ScopedRepository[Subscription]):
    model = Subscription
    noun = "Subscription"

    async def search(
        self,
        page: Page,
        *,
        driver_id: str | None = None,
        plan_id: str | None = None,
        status: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Subscription]:
        statement = matching(
            self.query(),
            (Subscription.driver_id, driver_id),
            (Subscription.plan_id, plan_id),
            (Subscription.status, status),
        )
        return await self.page(
            statement,
            page,
            order_by=[Subscription.started_at.desc(), Subscription.id],
            updated_since=updated_since,
        )

    async def active_for(self, driver_id: str) -> Subscription | None:
        result = await self.session.execute(
            self.query().where(
                Subscription.driver_id == driver_id,
                Subscription.status == SubscriptionStatus.ACTIVE.value,
            )
        )
        return result.scalars().first()

    async def to_renew(self, subscription_id: str) -> Subscription | None:
        """The subscription locked until the unit of work ends, and read afresh (None if it is
        gone): what `ScopedRepository.locked` reads for an operator's change, for the renewal
        sweep, which raises the revision too."""
        statement = (
            self.query()
            .where(Subscription.id == subscription_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(statement)).scalars().first()

    async def claim(self, subscription: Subscription) -> bool:
        """Take the subscription for one change: bump its revision if nobody else has since it
        was read. A second sweep that read the same row (another node, a retried round) matches
        nothing and leaves it alone."""
        result = await self.session.execute(
            update(Subscription)
            .where(
                Subscription.id == subscription.id,
                owned_by(Subscription, self.organization_id),
                Subscription.revision == subscription.revision,
            )
            .values(revision=Subscription.revision + 1)
            .execution_options(synchronize_session=False)
        )
        claimed = getattr(result, "rowcount", 0) == 1
        await self.session.refresh(subscription)
        return claimed

    def add_period(self, period: SubscriptionPeriod) -> None:
        self.session.add(period)

    async def period(self, subscription_id: str, number: int) -> SubscriptionPeriod | None:
        result = await self.session.execute(
            select(SubscriptionPeriod).where(
                owned_by(SubscriptionPeriod, self.organization_id),
                SubscriptionPeriod.subscription_id == subscription_id,
                SubscriptionPeriod.number == number,
            )
        )
        return result.scalars().first()

    async def periods(self, subscription_id: str) -> Sequence[SubscriptionPeriod]:
        result = await self.session.execute(
            select(SubscriptionPeriod)
            .where(
                owned_by(SubscriptionPeriod, self.organization_id),
                SubscriptionPeriod.subscription_id == subscription_id,
            )
            .order_by(SubscriptionPeriod.number)
        )
        return result.scalars().all()


async def due_subscriptions(session: AsyncSession, now: datetime) -> Sequence[tuple[str, str]]:
    """(organization, subscription) of every active subscription whose period has ended, in all
    organizations (the renewal sweep is node-wide)."""
    result = await session.execute(
        select(Subscription.organization_id, Subscription.id)
        .where(
            Subscription.status == SubscriptionStatus.ACTIVE.value,
            Subscription.period_end <= now,
        )
        .order_by(Subscription.period_end)
    )
    return [(org, sub) for org, sub in result.all()]
