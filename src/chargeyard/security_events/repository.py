"""All SQL about security events."""

from chargeyard.security_events.domain import SecurityEventFilter
from chargeyard.security_events.models import SecurityEvent
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching, within


class SecurityEventRepository(ScopedRepository[SecurityEvent]):
    model = SecurityEvent
    noun = "Security event"

    async def search(self, page: Page, where: SecurityEventFilter) -> PageResult[SecurityEvent]:
        statement = matching(
            self.query(),
            (SecurityEvent.station_id, where.station_id),
            (SecurityEvent.type, where.type),
        )
        statement = within(statement, SecurityEvent.occurred_at, where.since, where.until)
        if where.critical is not None:
            statement = statement.where(SecurityEvent.critical.is_(where.critical))
        return await self.page(
            statement, page, order_by=(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
        )
