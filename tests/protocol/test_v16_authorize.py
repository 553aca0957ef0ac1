"""Authorize under 1.6: each IdTagInfo status, expiry and parent tags, as a station sees them."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations


async def add_tag(tenant: Tenant, **fields: Any) -> str:
    body = {"value": tenant.unique("T")[:20]} | fields
    response = await tenant.api.post("/id-tags", json=body)
    assert response.status_code == 201, response.text
    return str(body["value"])


async def test_statuses_of_tags(tenant: Tenant, stations: Stations) -> None:
    accepted = await add_tag(tenant, expires_at="2099-01-01T00:00:00Z")
    blocked = await add_tag(tenant, status="Blocked")
    expired_by_date = await add_tag(tenant, expires_at="2020-01-01T00:00:00Z")
    expired_by_status = await add_tag(tenant, status="Expired")
    async with stations.booted() as station:
        answers = {
            tag: (await station.ok("Authorize", {"idTag": tag}))["idTagInfo"]
            for tag in (accepted, blocked, expired_by_date, expired_by_status, "NEVER-SEEN")
        }
    assert answers[accepted] == {"status": "Accepted", "expiryDate": "2099-01-01T00:00:00Z"}
    assert answers[blocked] == {"status": "Blocked"}
    assert answers[expired_by_date]["status"] == "Expired"
    assert answers[expired_by_status]["status"] == "Expired"
    assert answers["NEVER-SEEN"] == {"status": "Invalid"}


async def test_another_organizations_tag_is_invalid(
    other_tenant: Tenant, stations: Stations
) -> None:
    foreign = await add_tag(other_tenant)
    async with stations.booted() as station:
        answer = await station.ok("Authorize", {"idTag": foreign})
    assert answer["idTagInfo"] == {"status": "Invalid"}


async def test_parent_is_returned_and_a_blocked_parent_blocks_the_child(
    tenant: Tenant, stations: Stations
) -> None:
    parent = await add_tag(tenant)
    child = await add_tag(tenant, parent_id_tag=parent)
    async with stations.booted() as station:
        before = (await station.ok("Authorize", {"idTag": child}))["idTagInfo"]
        tags = (await tenant.api.get("/id-tags", params={"value": parent})).json()["items"]
        patched = await tenant.api.patch(f"/id-tags/{tags[0]['id']}", json={"status": "Blocked"})
        assert patched.status_code == 200, patched.text
        after = (await station.ok("Authorize", {"idTag": child}))["idTagInfo"]
    assert before == {"status": "Accepted", "parentIdTag": parent}
    assert after == {"status": "Blocked", "parentIdTag": parent}


async def test_a_tag_in_an_active_session_is_accepted_by_authorize_and_refused_at_start(
    tenant: Tenant, stations: Stations
) -> None:
    """OCPP 1.6 keeps ConcurrentTx for StartTransaction (7.4); a start it refuses is closed at
    once, so it never holds a row open (or capacity)."""
    tag = await add_tag(tenant)
    async with stations.booted() as station:
        start = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": "2026-02-01T09:00:00Z"},
        )
        during = (await station.ok("Authorize", {"idTag": tag}))["idTagInfo"]
        second = await station.ok(
            "StartTransaction",
            {"connectorId": 2, "idTag": tag, "meterStart": 5, "timestamp": "2026-02-01T09:01:00Z"},
        )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": start["transactionId"],
                "meterStop": 10,
                "timestamp": "2026-02-01T09:10:00Z",
            },
        )
        after = (await station.ok("Authorize", {"idTag": tag}))["idTagInfo"]
        # The station's own stop of the refused one still corrects its reading.
        await station.ok(
            "StopTransaction",
            {
                "transactionId": second["transactionId"],
                "meterStop": 7,
                "timestamp": "2026-02-01T09:01:05Z",
            },
        )
    assert during == {"status": "Accepted"}
    assert second["idTagInfo"]["status"] == "ConcurrentTx"
    assert after == {"status": "Accepted"}
    refused = await tenant.api.get(f"/transactions/{second['transactionId']}")
    assert refused.status_code == 200, refused.text
    assert refused.json()["stopped_at"] is not None
    assert refused.json()["stop_reason"] == "DeAuthorized"
    assert refused.json()["meter_stop_wh"] == 7


async def test_tags_match_case_insensitively(tenant: Tenant, stations: Stations) -> None:
    value = await add_tag(tenant, value=tenant.unique("Card")[:20])
    duplicate = await tenant.api.post("/id-tags", json={"value": value.upper()})
    assert duplicate.status_code == 409
    async with stations.booted() as station:
        answer = await station.ok("Authorize", {"idTag": value.lower()})
        assert answer["idTagInfo"]["status"] == "Accepted"
        started = await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": value,
                "meterStart": 0,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
        assert started["idTagInfo"]["status"] == "Accepted"
        again = await station.ok(
            "StartTransaction",
            {
                "connectorId": 2,
                "idTag": value.upper(),
                "meterStart": 0,
                "timestamp": "2026-01-01T10:01:00Z",
            },
        )
        assert again["idTagInfo"]["status"] == "ConcurrentTx"  # the same tag, in use


async def test_each_decision_is_recorded_as_an_event(tenant: Tenant, stations: Stations) -> None:
    accepted = await add_tag(tenant)
    blocked = await add_tag(tenant, status="Blocked")
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        for value in (accepted, blocked, "UNKNOWN-TAG"):
            await station.ok("Authorize", {"idTag": value})
    events = (await tenant.api.get("/events", params={"type": "authorization.*"})).json()
    decided = sorted((e["type"], e["data"]["id_tag"], e["data"]["status"]) for e in events["items"])
    assert decided == sorted(
        [
            ("authorization.accepted", accepted, "Accepted"),
            ("authorization.rejected", blocked, "Blocked"),
            ("authorization.rejected", "UNKNOWN-TAG", "Invalid"),
        ]
    )
    assert {e["station_id"] for e in events["items"]} == {station_id}
