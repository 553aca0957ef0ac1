"""The permissions page: grants as `/api/v1/permissions` lists them, filtered on the server,
granted and withdrawn by operators through the REST API's rules, and seen and granted by a
site-confined user only within its sites."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_maintenance_windows import confined, placed_station
from tests.dashboard.test_tag_groups import new_tag


async def test_viewers_read_permissions_filtered_and_may_not_grant(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    site, station_id = await placed_station(tenant, "depot")
    tag = await new_tag(tenant, "EMP")
    group = await tenant.api.post("/tag-groups", json={"name": tenant.unique("Crew")})
    by_tag = await tenant.api.post(
        "/permissions",
        json={
            "id_tag": tag,
            "station_id": station_id,
            "daily_from": "07:00",
            "daily_until": "19:00",
            "description": "day shift",
        },
    )
    by_group = await tenant.api.post(
        "/permissions",
        json={"tag_group_id": group.json()["id"], "location_id": site, "description": "crew"},
    )
    assert by_tag.status_code == 201 and by_group.status_code == 201, by_group.text
    foreign_tag = await new_tag(other_tenant, "THEIRS")
    foreign = await other_tenant.api.post(
        "/permissions",
        json={"id_tag": foreign_tag, "station_id": "x", "description": "foreign"},
    )
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/permissions")
        of_tag = await client.get("/permissions", params={"id_tag": tag})
        unknown_tag = await client.get("/permissions", params={"id_tag": "NOBODY"})
        of_group = await client.get("/permissions", params={"tag_group": group.json()["id"]})
        at_site = await client.get("/permissions", params={"location": site})
        create = await client.post(
            "/permissions",
            data={
                "csrf_token": hidden(listing.text, "csrf_token"),
                "id_tag": tag,
                "station_id": station_id,
            },
        )
        withdraw = await client.post(
            f"/permissions/{by_tag.json()['id']}/delete",
            data={"csrf_token": hidden(listing.text, "csrf_token")},
        )
    assert listing.status_code == 200 and "2 permissions" in listing.text
    assert "day shift" in listing.text and "07:00 to 19:00" in listing.text and tag in listing.text
    assert "crew" in listing.text and "foreign" not in listing.text
    assert foreign.status_code in (201, 422)
    assert "1 permission," in of_tag.text and "day shift" in of_tag.text
    assert "0 permissions" in unknown_tag.text
    assert "1 permission," in of_group.text and "crew" in of_group.text
    assert "1 permission," in at_site.text and "crew" in at_site.text
    assert 'id="permission-new"' not in listing.text and "Withdraw</button>" not in listing.text
    assert create.status_code == 403 and withdraw.status_code == 403


async def test_an_operator_grants_and_withdraws_by_the_rest_rules(tenant: Tenant) -> None:
    site, station_id = await placed_station(tenant, "yard")
    tag = await new_tag(tenant, "DRV")
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/permissions")).text, "csrf_token")
        both_places = await client.post(
            "/permissions",
            data={"csrf_token": csrf, "id_tag": tag, "station_id": station_id, "location_id": site},
        )
        half_daily = await client.post(
            "/permissions",
            data={
                "csrf_token": csrf,
                "id_tag": tag,
                "station_id": station_id,
                "daily_from": "08:00",
            },
        )
        unknown = await client.post(
            "/permissions",
            data={"csrf_token": csrf, "id_tag": "NOPE-9", "station_id": station_id},
        )
        bad_time = await client.post(
            "/permissions",
            data={
                "csrf_token": csrf,
                "id_tag": tag,
                "station_id": station_id,
                "valid_from": "soon",
            },
        )
        granted = await client.post(
            "/permissions",
            data={
                "csrf_token": csrf,
                "id_tag": tag,
                "location_id": site,
                "valid_from": "2099-01-01T00:00",
                "valid_until": "2099-02-01T00:00:00+01:00",
                "daily_from": "22:00",
                "daily_until": "06:00",
                "description": "nights",
            },
        )
        listing = await client.get("/permissions")
    for refused in (both_places, half_daily, unknown, bad_time):
        assert refused.status_code == 422, refused.text
    assert "exactly one of location_id and station_id" in both_places.text
    # A refused grant comes back as sent, each refusal beside its field (or above the form).
    assert 'id="permission-errors"' in both_places.text
    assert 'id="permission-valid_from-error"' in bad_time.text and 'value="soon"' in bad_time.text
    assert 'value="NOPE-9"' in unknown.text and f'value="{station_id}"' in unknown.text
    assert granted.status_code == 303, granted.text
    [stored] = (await tenant.api.get("/permissions", params={"id_tag": tag})).json()["items"]
    assert stored["valid_from"].startswith("2099-01-01T00:00:00")
    assert stored["valid_until"].startswith("2099-01-31T23:00:00")
    assert (stored["daily_from"], stored["daily_until"]) == ("22:00:00", "06:00:00")
    assert "nights" in listing.text and "Withdraw</button>" in listing.text
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/permissions")).text, "csrf_token")
        withdrawn = await client.post(
            f"/permissions/{stored['id']}/delete", data={"csrf_token": csrf}
        )
    assert withdrawn.status_code == 303
    assert (await tenant.api.get(f"/permissions/{stored['id']}")).status_code == 404


async def test_a_site_confined_operator_grants_only_within_its_sites(tenant: Tenant) -> None:
    north, north_station = await placed_station(tenant, "north")
    south, south_station = await placed_station(tenant, "south")
    tag = await new_tag(tenant, "SITE")
    theirs = await tenant.api.post(
        "/permissions", json={"id_tag": tag, "station_id": south_station, "description": "south"}
    )
    operator = await confined(tenant, "operator", north)
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/permissions")
        csrf = hidden(listing.text, "csrf_token")
        outside = await client.post(
            "/permissions", data={"csrf_token": csrf, "id_tag": tag, "location_id": south}
        )
        inside = await client.post(
            "/permissions",
            data={
                "csrf_token": csrf,
                "id_tag": tag,
                "station_id": north_station,
                "description": "north",
            },
        )
        not_seen = await client.post(
            f"/permissions/{theirs.json()['id']}/delete", data={"csrf_token": csrf}
        )
        after = await client.get("/permissions")
    assert "0 permissions" in listing.text and f'<option value="{south}"' not in listing.text
    assert outside.status_code in (404, 422) and inside.status_code == 303
    assert not_seen.status_code == 404
    assert "north" in after.text and "south" not in after.text
