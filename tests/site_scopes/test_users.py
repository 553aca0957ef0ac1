"""Giving a user sites through /api/v1/users, what a confined user may place where, and what
stays the whole organization's."""

from typing import Any

import httpx

from tests.api.factories import USER_PASSWORD, created
from tests.conftest import Tenant
from tests.site_scopes.conftest import TAG, Estate, scoped_user
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD


async def station_ids(api: httpx.AsyncClient) -> set[str]:
    answer = await api.get("/stations", params={"limit": 1000})
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}


async def test_sites_are_set_shown_and_cleared_through_the_users_api(estate: Estate) -> None:
    admin = estate.admin.api
    path = f"/users/{estate.user_id}"
    assert (await admin.get(path)).json()["location_ids"] == [estate.mine.location_id]
    me = (await estate.scoped.get("/users/me")).json()
    assert me["location_ids"] == [estate.mine.location_id]

    moved = await admin.patch(path, json={"location_ids": [estate.theirs.location_id]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["location_ids"] == [estate.theirs.location_id]
    # The same token, at its next request: the change applies at once.
    assert await station_ids(estate.scoped) == {estate.theirs.station_id}

    both = [estate.theirs.location_id, estate.mine.location_id, estate.mine.location_id]
    answer = await admin.patch(path, json={"location_ids": both})
    assert sorted(answer.json()["location_ids"]) == sorted(set(both))
    assert await station_ids(estate.scoped) == {estate.mine.station_id, estate.theirs.station_id}

    cleared = await admin.patch(path, json={"location_ids": []})
    assert cleared.json()["location_ids"] is None
    assert (await admin.get("/users/me")).json()["location_ids"] is None
    everything = await station_ids(admin)
    assert await station_ids(estate.scoped) == everything


async def test_a_user_whose_only_site_is_deleted_sees_nothing(estate: Estate) -> None:
    """Fail closed: the sites are gone, not the restriction."""
    admin = estate.admin.api
    empty = await created(admin, "/locations", {"name": "Closing down"})
    path = f"/users/{estate.user_id}"
    assert (await admin.patch(path, json={"location_ids": [empty["id"]]})).status_code == 200
    assert (await admin.delete(f"/locations/{empty['id']}")).status_code == 204
    assert await station_ids(estate.scoped) == set()
    assert (await estate.scoped.get("/transactions")).json()["total"] == 0
    assert (await estate.scoped.get("/locations")).json()["total"] == 0


async def test_basic_credentials_are_confined_like_tokens(estate: Estate) -> None:
    base = str(estate.admin.api.base_url)
    async with http_client(base_url=base, auth=(estate.email, USER_PASSWORD)) as api:
        assert await station_ids(api) == {estate.mine.station_id}
        theirs = await api.get(f"/stations/{estate.theirs.station_id}")
        assert theirs.status_code == 404


async def test_a_confined_viewer_reads_only_its_sites(estate: Estate) -> None:
    _, secret = await scoped_user(estate.admin, "viewer", [estate.theirs.child_id])
    headers = {"Authorization": f"Bearer {secret}"}
    async with http_client(base_url=str(estate.admin.api.base_url), headers=headers) as api:
        assert await station_ids(api) == {estate.theirs.station_id}
        locations = (await api.get("/locations")).json()["items"]
        assert [item["id"] for item in locations] == [estate.theirs.child_id]
        assert (await api.get(f"/transactions/{estate.mine.transaction_id}")).status_code == 404


async def test_sites_must_be_the_organizations_locations_and_admins_have_none(
    estate: Estate, other_tenant: Tenant
) -> None:
    admin = estate.admin.api
    path = f"/users/{estate.user_id}"
    unknown = await admin.patch(path, json={"location_ids": ["nowhere"]})
    assert unknown.status_code == 422, unknown.text
    foreign = await created(other_tenant.api, "/locations", {"name": "Elsewhere"})
    elsewhere = await admin.patch(path, json={"location_ids": [foreign["id"]]})
    assert elsewhere.status_code == 422
    promoted = await admin.patch(path, json={"role": "admin"})
    assert promoted.status_code == 422, promoted.text
    body = {
        "email": f"{estate.admin.unique('a')}@example.com",
        "password": USER_PASSWORD,
        "role": "admin",
        "location_ids": [estate.mine.location_id],
    }
    assert (await admin.post("/users", json=body)).status_code == 422
    # Promoting while clearing the sites is fine.
    both = await admin.patch(path, json={"role": "admin", "location_ids": None})
    assert both.status_code == 200, both.text
    assert both.json()["location_ids"] is None


async def test_only_an_admin_gives_sites(estate: Estate) -> None:
    answer = await estate.scoped.patch(f"/users/{estate.user_id}", json={"location_ids": []})
    assert answer.status_code == 403


async def test_a_confined_operator_places_stations_and_locations_inside_its_sites(
    estate: Estate,
) -> None:
    api = estate.scoped
    station: dict[str, Any] = {"id": estate.admin.unique("CP"), "password": PASSWORD}
    nowhere = await api.post("/stations", json=station)
    assert nowhere.status_code == 422, nowhere.text
    theirs = await api.post("/stations", json=station | {"location_id": estate.theirs.child_id})
    assert theirs.status_code == 404, theirs.text
    placed = await created(api, "/stations", station | {"location_id": estate.mine.child_id})
    assert (await api.get(f"/stations/{placed['id']}")).status_code == 200
    moved = await api.patch(
        f"/stations/{placed['id']}", json={"location_id": estate.theirs.location_id}
    )
    assert moved.status_code == 404, moved.text

    root = await api.post("/locations", json={"name": "New site"})
    assert root.status_code == 422, root.text
    outside = await api.post(
        "/locations", json={"name": "Annex", "parent_id": estate.theirs.location_id}
    )
    assert outside.status_code == 404, outside.text
    annex = await created(api, "/locations", {"name": "Annex", "parent_id": estate.mine.child_id})
    assert (await api.get(f"/locations/{annex['id']}")).status_code == 200
    escape = await api.patch(f"/locations/{annex['id']}", json={"parent_id": None})
    assert escape.status_code == 422, escape.text


async def test_permissions_are_granted_and_seen_only_within_the_sites(estate: Estate) -> None:
    api = estate.scoped
    for place in (
        {"location_id": estate.theirs.location_id},
        {"station_id": estate.theirs.station_id},
    ):
        refused = await api.post("/permissions", json={"id_tag": TAG} | place)
        assert refused.status_code in (404, 422), refused.text
    mine = await created(api, "/permissions", {"id_tag": TAG, "location_id": estate.mine.child_id})
    theirs = await created(
        estate.admin.api, "/permissions", {"id_tag": TAG, "station_id": estate.theirs.station_id}
    )
    listed = (await api.get("/permissions")).json()["items"]
    assert [item["id"] for item in listed] == [mine["id"]]
    assert (await api.get(f"/permissions/{theirs['id']}")).status_code == 404
    assert (await api.delete(f"/permissions/{theirs['id']}")).status_code == 404


async def test_what_spans_the_whole_organization_is_refused_or_shared(estate: Estate) -> None:
    api = estate.scoped
    # Built in the background for the whole organization: refused.
    queued = await api.post("/reports", json={"kind": "transactions", "format": "csv"})
    assert queued.status_code == 403, queued.text
    assert (await api.get("/reports")).status_code == 403
    assert (await api.get("/alert-notifications/digests")).status_code == 403
    assert (await api.get("/webhooks")).status_code == 403
    # Alert rules are the organization's (one threshold for every site): read, not changed.
    assert (await api.get("/alert-rules")).status_code == 200
    rule = await api.patch("/alert-rules/station-offline", json={"threshold_s": 5})
    assert rule.status_code == 403, rule.text
    # The electrical tree of load management spans sites: a confined operator changes none.
    circuit = await api.post("/circuits", json={"name": "Main", "max_power_kw": 50})
    assert circuit.status_code == 403, circuit.text
    # Registers every site shares (ID tags, tariffs): read as usual.
    tags = (await api.get("/id-tags", params={"value": TAG})).json()
    assert tags["total"] == 1
    assert (await api.get("/tariffs")).json()["total"] == 1
