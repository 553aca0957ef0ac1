"""What reads of a station's external constraints store: only the latest read's answers count,
each replaces what earlier reads found, and NoProfiles lifts it all (real SQLite)."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from chargeyard.charging_limits.domain import ChargingLimit
from chargeyard.charging_limits.repository import ChargingLimitRepository
from chargeyard.charging_limits.service import ChargingLimitService
from chargeyard.storage.database import Database
from tests.conftest import Tenant

NOW = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)


def _profile(profile_id: int) -> dict[str, Any]:
    schedule = {"id": 1, "charging_rate_unit": "W", "charging_schedule_period": []}
    return {
        "id": profile_id,
        "stack_level": 0,
        "charging_profile_purpose": "ChargingStationExternalConstraints",
        "charging_profile_kind": "Absolute",
        "charging_schedule": [schedule],
    }


async def test_only_the_latest_read_replaces_what_was_found(tenant: Tenant) -> None:
    db = Database(tenant.server.settings.database_url)
    station = tenant.unique("EC")

    async def step(action: Any) -> Any:
        async with db.writing() as uow:
            result = await action(ChargingLimitService(uow, tenant.organization_id, lambda: NOW))
            await uow.commit()
            return result

    async def found() -> Sequence[int | None]:
        async with db.reading() as uow:
            rows = await ChargingLimitRepository(uow.session, tenant.organization_id).read_back(
                station
            )
            return sorted(row.profile_id for row in rows if row.profile_id is not None)

    async def notify(service: ChargingLimitService) -> None:
        service.record(station, ChargingLimit("EMS", 1))

    try:
        await step(notify)
        await step(lambda s: s.start_read(station, 1))
        assert await step(lambda s: s.record_read(station, 1, 1, "EMS", [_profile(11)]))
        await step(lambda s: s.start_read(station, 2))
        # A late answer to the first read, once the second went out: not a read any more.
        assert not await step(lambda s: s.record_read(station, 1, 2, "SO", [_profile(12)]))
        assert await found() == [11]
        # The second read's two messages: the first replaces read 1's find, neither the other.
        reported = [_profile(13), {**_profile(99), "charging_profile_purpose": "TxProfile"}]
        assert await step(lambda s: s.record_read(station, 2, 1, "EMS", reported))
        assert await step(lambda s: s.record_read(station, 2, 2, "SO", [_profile(14)]))
        assert await found() == [13, 14]
        await step(lambda s: s.read_nothing(station, 1))  # stale: changes nothing
        assert await found() == [13, 14]
        await step(lambda s: s.read_nothing(station, 2))
        assert await found() == []
        async with db.reading() as uow:
            limits = ChargingLimitRepository(uow.session, tenant.organization_id)
            notified = await limits.active(station, "EMS", 1)
        assert [row.profile_id for row in notified] == [None]  # a NotifyChargingLimit stays
    finally:
        await db.dispose()
