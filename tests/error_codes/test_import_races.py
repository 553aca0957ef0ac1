"""An import that replaces a translation, and a change of the same translation guarded by
If-Match, made to meet on purpose: the import reads each row it replaces locked
(`error_codes/service.py: import_codes`), as the change does, so the two take turns. Without
the lock, on PostgreSQL (CHARGEYARD_TEST_POSTGRES_URL), the import wrote the revision it had
computed before the change: two versions of the translation shared one ETag."""

import asyncio

from tests.conftest import Tenant
from tests.error_codes.test_vendor_error_codes import E17
from tests.stations.test_boot_races import revision
from tests.support.contention import DEADLINE_S, held_writes


async def test_an_import_during_a_change_of_its_row_waits_for_it(tenant: Tenant) -> None:
    made = await tenant.api.post("/vendor-error-codes", json=E17)
    assert made.status_code == 201, made.text
    path = f"/vendor-error-codes/{made.json()['id']}"
    etag = made.headers["ETag"]
    async with held_writes(tenant.server) as gate:
        change = asyncio.ensure_future(
            tenant.api.patch(path, json={"severity": "Low"}, headers={"If-Match": etag})
        )
        await gate.holding_first()
        body = {"codes": [{**E17, "title": "RCD tripped", "severity": "Medium"}]}
        imported = asyncio.ensure_future(tenant.api.post("/vendor-error-codes/import", json=body))
        await gate.second_waiting()
        gate.release_first()
        async with asyncio.timeout(DEADLINE_S):
            changed, replaced = await change, await imported

    assert changed.status_code == 200, changed.text
    assert replaced.status_code == 200 and replaced.json() == {"created": 0, "updated": 1}
    after = await tenant.api.get(path)
    # The import came second and replaced what the change left.
    assert (after.json()["title"], after.json()["severity"]) == ("RCD tripped", "Medium")
    assert revision(changed.headers["ETag"]) == revision(etag) + 1
    assert revision(after.headers["ETag"]) == revision(etag) + 2
    stale = await tenant.api.patch(
        path, json={"severity": "High"}, headers={"If-Match": changed.headers["ETag"]}
    )
    assert stale.status_code == 412, stale.text
