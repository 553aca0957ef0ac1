"""Permissions through the site tree, as stations see them: 1.6 Authorize and StartTransaction,
2.0.1 Authorize and TransactionEvent, and the local authorization list a station is sent."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.v16 import SimulatedStation
from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of
from tests.protocol.v201.conftest import V2Stations, tx_event
from tests.support.ocpp_client import PASSWORD


async def created(tenant: Tenant, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await tenant.api.post(path, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def tag(tenant: Tenant, prefix: str = "T") -> str:
    value = tenant.unique(prefix)
    await created(tenant, "/id-tags", {"value": value})
    return value


async def site_tree(tenant: Tenant) -> tuple[str, str, str]:
    """A campus with a car park under it, and an unrelated depot."""
    campus = (await created(tenant, "/locations", {"name": tenant.unique("Campus")}))["id"]
    car_park = (
        await created(tenant, "/locations", {"name": tenant.unique("Park"), "parent_id": campus})
    )["id"]
    depot = (await created(tenant, "/locations", {"name": tenant.unique("Depot")}))["id"]
    return campus, car_park, depot


async def authorize_16(stations: Stations, station_id: str, id_tag: str) -> str:
    async with stations.booted(station_id) as station:
        answer = await station.ok("Authorize", {"idTag": id_tag})
    return str(answer["idTagInfo"]["status"])


async def test_a_permission_on_a_site_covers_its_whole_subtree_only(
    tenant: Tenant, stations: Stations
) -> None:
    campus, car_park, depot = await site_tree(tenant)
    in_car_park = await stations.register(location_id=car_park)
    at_depot = await stations.register(location_id=depot)
    nowhere = await stations.register()
    visitor, fleet_card, anyone = await tag(tenant), await tag(tenant), await tag(tenant)
    await created(tenant, "/permissions", {"id_tag": visitor, "location_id": campus})
    group = await created(
        tenant, "/tag-groups", {"name": tenant.unique("fleet"), "id_tags": [fleet_card]}
    )
    await created(tenant, "/permissions", {"tag_group_id": group["id"], "station_id": at_depot})

    assert await authorize_16(stations, in_car_park, visitor) == "Accepted"
    assert await authorize_16(stations, at_depot, visitor) == "Invalid"
    assert await authorize_16(stations, nowhere, visitor) == "Invalid"
    assert await authorize_16(stations, at_depot, fleet_card) == "Accepted"
    assert await authorize_16(stations, in_car_park, fleet_card) == "Invalid"
    # A tag with no permission keeps the organization's open default...
    assert await authorize_16(stations, at_depot, anyone) == "Accepted"
    refused = await events_of(tenant.server, at_depot, "authorization.rejected")
    assert [(e["id_tag"], e["reason"]) for e in refused] == [(visitor, "not_at_this_location")]

    # ...until the organization requires permissions.
    turned_on = await tenant.api.patch("/organization", json={"permissions_required": True})
    assert turned_on.status_code == 200 and turned_on.json()["permissions_required"] is True
    assert await authorize_16(stations, at_depot, anyone) == "Invalid"
    assert await authorize_16(stations, in_car_park, visitor) == "Accepted"
    # A public station takes every accepted tag, permissions aside.
    public = await tenant.api.patch(f"/stations/{at_depot}", json={"allow_all_tags": True})
    assert public.status_code == 200, public.text
    assert await authorize_16(stations, at_depot, anyone) == "Accepted"


async def test_start_transaction_is_refused_where_the_tag_has_no_permission(
    tenant: Tenant, stations: Stations
) -> None:
    campus, _, depot = await site_tree(tenant)
    here = await stations.register(location_id=depot)
    visitor = await tag(tenant)
    await created(tenant, "/permissions", {"id_tag": visitor, "location_id": campus})
    async with stations.booted(here) as station:
        answer = await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": visitor,
                "meterStart": 0,
                "timestamp": "2026-02-01T09:00:00Z",
            },
        )
    assert answer["idTagInfo"]["status"] == "Invalid"
    refused = await events_of(tenant.server, here, "authorization.rejected")
    assert [e["reason"] for e in refused] == ["not_at_this_location"]
    sessions = (await tenant.api.get("/transactions", params={"station_id": here})).json()
    assert [s["auth_status"] for s in sessions["items"]] == ["Invalid"]


async def test_v201_authorize_and_transaction_event_follow_the_same_rule(
    tenant: Tenant, v2: V2Stations
) -> None:
    campus, car_park, depot = await site_tree(tenant)
    allowed_here = await v2.register(location_id=car_park)
    not_here = await v2.register(location_id=depot)
    visitor = await tag(tenant)
    await created(tenant, "/permissions", {"id_tag": visitor, "location_id": campus})
    token = {"idToken": visitor, "type": "ISO14443"}
    answers = {}
    for station_id in (allowed_here, not_here):
        async with v2.booted_v2(station_id) as station:
            authorize = await station.ok("Authorize", {"idToken": token})
            started = await station.ok(
                "TransactionEvent",
                tx_event(
                    "Started",
                    tenant.unique("tx"),
                    0,
                    "2026-02-01T08:00:00Z",
                    evse={"id": 1, "connectorId": 1},
                    idToken=token,
                ),
            )
        answers[station_id] = (
            authorize["idTokenInfo"]["status"],
            started["idTokenInfo"]["status"],
        )
    assert answers == {allowed_here: ("Accepted", "Accepted"), not_here: ("Invalid", "Invalid")}


async def test_validity_dates_and_daily_windows_are_honoured(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    later, lapsed, off_shift, on_shift = [await tag(tenant) for _ in range(4)]
    future = {"valid_from": "2099-01-01T00:00:00Z"}
    past = {"valid_until": "2001-01-01T00:00:00Z"}
    # Windows two to three hours from now never hold now; one around now always does (the
    # station is at no location: its local time is UTC).
    now = datetime.now(UTC)
    off = {
        "daily_from": _clock(now + timedelta(hours=2)),
        "daily_until": _clock(now + timedelta(hours=3)),
    }
    on = {
        "daily_from": _clock(now - timedelta(hours=2)),
        "daily_until": _clock(now + timedelta(hours=2)),
    }
    here = {"station_id": station_id}
    await created(tenant, "/permissions", {"id_tag": later} | here | future)
    await created(tenant, "/permissions", {"id_tag": lapsed} | here | past)
    await created(tenant, "/permissions", {"id_tag": off_shift} | here | off)
    await created(tenant, "/permissions", {"id_tag": on_shift} | here | on)
    assert await authorize_16(stations, station_id, later) == "Invalid"
    assert await authorize_16(stations, station_id, lapsed) == "Invalid"
    assert await authorize_16(stations, station_id, off_shift) == "Invalid"
    assert await authorize_16(stations, station_id, on_shift) == "Accepted"
    refused = await events_of(tenant.server, station_id, "authorization.rejected")
    assert {e["reason"] for e in refused} == {"not_at_this_time"}


def _clock(at: datetime) -> str:
    return at.strftime("%H:%M")


@asynccontextmanager
async def simulated(tenant: Tenant, station_id: str) -> AsyncIterator[SimulatedStation]:
    station = SimulatedStation(
        tenant.server.ocpp_url, station_id, password=PASSWORD, behaviour=Behaviour()
    )
    async with station:
        assert (await station.boot()).value == "Accepted"
        yield station


async def test_a_local_list_holds_exactly_the_tags_permitted_at_the_station(
    tenant: Tenant, stations: Stations
) -> None:
    campus, _, depot = await site_tree(tenant)
    station_id = await stations.register(location_id=depot)
    visitor, depot_staff, anyone = await tag(tenant), await tag(tenant), await tag(tenant)
    await created(tenant, "/permissions", {"id_tag": visitor, "location_id": campus})
    await created(tenant, "/permissions", {"id_tag": depot_staff, "location_id": depot})
    async with simulated(tenant, station_id) as station:
        sent = await tenant.api.post(
            f"/stations/{station_id}/commands/send-local-list", json={"update_type": "full"}
        )
        assert sent.status_code == 200 and sent.json()["status"] == "Accepted", sent.text
        assert set(station.local_list.entries) == {depot_staff, anyone}
        named = await tenant.api.post(
            f"/stations/{station_id}/commands/send-local-list",
            json={"update_type": "full", "id_tags": [visitor, depot_staff]},
        )
        assert named.status_code == 422 and visitor in named.json()["detail"]
        await tenant.api.patch("/organization", json={"permissions_required": True})
        again = await tenant.api.post(
            f"/stations/{station_id}/commands/send-local-list", json={"update_type": "full"}
        )
        assert again.json()["status"] == "Accepted"
        assert set(station.local_list.entries) == {depot_staff}
