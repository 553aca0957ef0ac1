"""All SQL about security events."""

from chargeyard.security_events.domain import SecurityEventFilter
from chargeyard.security_events.models import SecurityEvent
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


class SecurityEventRepository(ScopedRepository[SecurityEvent]):
    model = SecurityEvent
    noun = "Security event"

    async def search(self, page: Page, where: SecurityEventFilter) -> PageResult[SecurityEvent]:
        statement = self.query()
        if where.station_id is not None:
            statement = statement.where(SecurityEvent.station_id == where.station_id)
        if where.type is not None:
            statement = statement.where(SecurityEvent.type == where.type)
        if where.since is not None:
            statement = statement.where(SecurityEvent.occurred_at >= where.since)
        if where.until is not None:
            statement = statement.where(SecurityEvent.occurred_at < where.until)
        if where.critical is not None:
            statement = statement.where(SecurityEvent.critical.is_(where.critical))
        return await self.page(
            statement, page, order_by=(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
        )
