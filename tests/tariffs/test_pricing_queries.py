"""What choosing a session's tariff costs in statements: a session start of an organization
without tariff groups makes no more queries than before groups existed; one with groups makes
exactly one more."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event

from chargeyard.storage.database import Database
from chargeyard.tariffs.service import TariffService
from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def statements_to_price(tenant: Tenant, station_id: str, tag: str) -> tuple[int, str]:
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            service = TariffService(uow, tenant.organization_id, lambda: datetime.now(UTC))
            with counted(db) as statements:
                priced = await service.pricing(station_id, datetime.now(UTC), evse_id=1, id_tag=tag)
            assert priced is not None
            return len([s for s in statements if s.lstrip().upper().startswith("SELECT")]), (
                priced.tariff_id
            )
    finally:
        await db.dispose()


async def test_groups_cost_one_query_and_only_where_there_are_some(
    tenant: Tenant, stations: Stations
) -> None:
    station_tariff = await create_tariff(tenant)
    station_id = await priced_station(tenant, stations, station_tariff)
    tag = await add_tag(tenant)
    # placement (with the EVSE and "any group?"), then the tariff version in force
    assert await statements_to_price(tenant, station_id, tag) == (2, station_tariff)
    group_tariff = await create_tariff(tenant)
    created = await tenant.api.post(
        "/tariff-groups",
        json={
            "name": "Staff",
            "tariff_id": group_tariff,
            "id_tags": [tag],
            "places": [{"kind": "station", "id": station_id}],
        },
    )
    assert created.status_code == 201, created.text
    assert await statements_to_price(tenant, station_id, tag) == (3, group_tariff)
    assert await statements_to_price(tenant, station_id, await add_tag(tenant)) == (
        3,
        station_tariff,
    )
