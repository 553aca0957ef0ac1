"""2.0.1 Authorize: every IdToken type, IdTokenInfo with group id and cache expiry."""

import pytest

from tests.conftest import Tenant
from tests.protocol.v201.conftest import V2Stations

TOKEN_TYPES = ["Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress"]


async def _tag(tenant: Tenant, value: str, **fields: object) -> None:
    response = await tenant.api.post("/id-tags", json={"value": value} | fields)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("token_type", TOKEN_TYPES)
async def test_every_token_type_is_looked_up(
    tenant: Tenant, v2: V2Stations, token_type: str
) -> None:
    value = tenant.unique("T")
    await _tag(tenant, value)
    async with v2.booted_v2() as station:
        known = await station.ok("Authorize", {"idToken": {"idToken": value, "type": token_type}})
        unknown = await station.ok(
            "Authorize", {"idToken": {"idToken": value + "x", "type": token_type}}
        )
    assert known["idTokenInfo"] == {"status": "Accepted"}
    assert unknown["idTokenInfo"]["status"] == "Invalid"


async def test_no_authorization_token_is_accepted(v2: V2Stations) -> None:
    async with v2.booted_v2() as station:
        answer = await station.ok(
            "Authorize", {"idToken": {"idToken": "", "type": "NoAuthorization"}}
        )
    assert answer["idTokenInfo"] == {"status": "Accepted"}


async def test_group_and_expiry_come_from_the_tag(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    fleet, card = tenant.unique("FLEET"), tenant.unique("CARD")
    await _tag(tenant, fleet)
    await _tag(tenant, card, parent_id_tag=fleet, expires_at="2099-01-01T00:00:00Z")
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        answer = await station.ok("Authorize", {"idToken": {"idToken": card, "type": "ISO14443"}})
    assert answer["idTokenInfo"] == {
        "status": "Accepted",
        "cacheExpiryDateTime": "2099-01-01T00:00:00Z",
        "groupIdToken": {"idToken": fleet, "type": "Central"},
    }


async def test_blocked_parent_and_expired_tag_statuses(tenant: Tenant, v2: V2Stations) -> None:
    fleet, card, old, blocked = (tenant.unique(p) for p in ("F", "C", "O", "B"))
    await _tag(tenant, fleet, status="Blocked")
    await _tag(tenant, card, parent_id_tag=fleet)
    await _tag(tenant, old, expires_at="2001-01-01T00:00:00Z")
    await _tag(tenant, blocked, status="Blocked")
    async with v2.booted_v2() as station:
        statuses = [
            (await station.ok("Authorize", {"idToken": {"idToken": v, "type": "ISO14443"}}))[
                "idTokenInfo"
            ]["status"]
            for v in (card, old, blocked)
        ]
    assert statuses == ["Blocked", "Expired", "Blocked"]
