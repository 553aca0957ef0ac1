"""Who changes an organization's alert rules: the rule is the whole organization's, so a user
confined to sites is refused at the service, whichever door it came through (REST or the
dashboard's form); tests/site_scopes/test_users.py checks the REST answer."""

import pytest

from chargeyard.alerts.service import AlertService
from chargeyard.clock import utcnow
from chargeyard.errors import Forbidden
from chargeyard.site_scopes.scope import SiteScope
from chargeyard.storage.database import Database
from tests.conftest import Tenant


async def test_a_site_scoped_caller_cannot_change_a_rule(tenant: Tenant) -> None:
    confined = SiteScope(tenant.organization_id, frozenset({"some-site"}))
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            with pytest.raises(Forbidden):
                await AlertService(uow, confined, utcnow).update_rule(
                    "station-offline", {"threshold_s": 5}
                )
            whole = AlertService(uow, tenant.organization_id, utcnow)
            changed = await whole.update_rule("station-offline", {"threshold_s": 7})
            assert changed.threshold_s == 7
    finally:
        await db.dispose()
