"""The maintenance windows page: windows listed as `/api/v1/maintenance-windows` lists them,
planned and cancelled by operators through the REST API's rules, and seen by a site-confined
user only for its sites; and a station's planned maintenance on its page."""

from typing import Any

from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import User, browser_client, hidden, make_user

SOON = {"starts_at": "2099-06-01T08:00:00Z", "ends_at": "2099-06-01T12:00:00Z"}


async def planned(tenant: Tenant, **body: Any) -> dict[str, Any]:
    made = await tenant.api.post("/maintenance-windows", json=SOON | body)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def placed_station(tenant: Tenant, name: str) -> tuple[str, str]:
    """A new location and a station at it."""
    location = await tenant.api.post("/locations", json={"name": tenant.unique(name)})
    assert location.status_code == 201, location.text
    station_id = await register(tenant)
    moved = await tenant.api.patch(
        f"/stations/{station_id}", json={"location_id": location.json()["id"]}
    )
    assert moved.status_code == 200, moved.text
    return location.json()["id"], station_id


async def confined(tenant: Tenant, role: str, location_id: str) -> User:
    user = await make_user(tenant, role)
    patched = await tenant.api.patch(f"/users/{user.id}", json={"location_ids": [location_id]})
    assert patched.status_code == 200, patched.text
    return user


async def test_viewers_read_the_windows_and_may_not_plan_or_cancel(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    site, station_id = await placed_station(tenant, "depot")
    mine = await planned(tenant, station_id=station_id, reason="new firmware")
    at_site = await planned(tenant, location_id=site, reason="cabling")
    past = await planned(
        tenant,
        station_id=station_id,
        starts_at="2020-01-01T00:00:00Z",
        ends_at="2020-01-02T00:00:00Z",
        reason="long ago",
    )
    foreign_station = await register(other_tenant)
    foreign = await planned(other_tenant, station_id=foreign_station, reason="theirs")
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        ahead = await client.get("/maintenance-windows")
        every = await client.get("/maintenance-windows", params={"when": "all"})
        by_station = await client.get(
            "/maintenance-windows", params={"station": station_id, "when": "all"}
        )
        by_site = await client.get("/maintenance-windows", params={"location": site})
        in_force = await client.get("/maintenance-windows", params={"when": "now"})
        station_page = await client.get(f"/stations/{station_id}")
        csrf = hidden(ahead.text, "csrf_token")
        create = await client.post(
            "/maintenance-windows", data={"csrf_token": csrf, "station_id": station_id} | SOON
        )
        delete = await client.post(
            f"/maintenance-windows/{mine['id']}/delete", data={"csrf_token": csrf}
        )
    assert ahead.status_code == 200 and 'href="/maintenance-windows"' in ahead.text
    assert "new firmware" in ahead.text and "cabling" in ahead.text
    assert "long ago" not in ahead.text and "long ago" in every.text
    assert "2 windows" in ahead.text and "3 windows" in every.text
    assert f'href="/stations/{station_id}"' in ahead.text
    assert "every station at depot" in ahead.text
    assert "theirs" not in every.text and foreign["id"] not in every.text
    assert "2 windows" in by_station.text and "cabling" not in by_station.text
    assert "1 window," in by_site.text and "cabling" in by_site.text
    assert "0 windows" in in_force.text
    # The station's page lists its own windows and its location's, now and ahead.
    planned_here = station_page.text.split('id="station-maintenance"')[1].split("</ul>")[0]
    assert "new firmware" in planned_here and "cabling" in planned_here
    assert "long ago" not in planned_here
    assert f'href="/maintenance-windows?station={station_id}"' in station_page.text
    assert 'id="window-new"' not in ahead.text and "Cancel</button>" not in ahead.text
    assert create.status_code == 403 and delete.status_code == 403
    listed = (await tenant.api.get("/maintenance-windows", params={"since": "2000-01-01"})).json()
    assert {w["id"] for w in listed["items"]} == {mine["id"], at_site["id"], past["id"]}


async def test_an_operator_plans_and_cancels_windows_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    site, station_id = await placed_station(tenant, "yard")
    foreign = await planned(other_tenant, station_id=await register(other_tenant))
    operator = await make_user(tenant, "operator")
    new = {
        "station_id": f" {station_id} ",
        "location_id": "",
        "starts_at": "2099-03-01T10:00",  # without the script: read as UTC
        "ends_at": "2099-03-01T14:30:00+01:00",  # with it: the browser's instant
        "reason": "replace the cable",
    }
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/maintenance-windows")
        csrf = hidden(listing.text, "csrf_token")
        new["csrf_token"] = csrf
        made = await client.post("/maintenance-windows", data=new)
        at_site = await client.post(
            "/maintenance-windows", data=new | {"station_id": "", "location_id": site}
        )
        both = await client.post("/maintenance-windows", data=new | {"location_id": site})
        neither = await client.post("/maintenance-windows", data=new | {"station_id": ""})
        backwards = await client.post(
            "/maintenance-windows", data=new | {"ends_at": "2099-03-01T09:00"}
        )
        too_long = await client.post(
            "/maintenance-windows", data=new | {"ends_at": "2100-06-01T09:00"}
        )
        unknown = await client.post("/maintenance-windows", data=new | {"station_id": "NOPE-1"})
        not_a_time = await client.post("/maintenance-windows", data=new | {"starts_at": "soon"})
        after = await client.get("/maintenance-windows")
        windows = (await tenant.api.get("/maintenance-windows")).json()["items"]
        own = next(w for w in windows if w["station_id"] == station_id)
        cancelled = await client.post(
            f"/maintenance-windows/{own['id']}/delete", data={"csrf_token": csrf}
        )
        again = await client.post(
            f"/maintenance-windows/{own['id']}/delete", data={"csrf_token": csrf}
        )
        not_ours = await client.post(
            f"/maintenance-windows/{foreign['id']}/delete", data={"csrf_token": csrf}
        )
        no_csrf = await client.post(f"/maintenance-windows/{foreign['id']}/delete", data={})
    assert 'id="window-new"' in listing.text
    assert made.status_code == 303 and made.headers["location"] == "/maintenance-windows"
    assert at_site.status_code == 303, at_site.text
    assert both.status_code == 422 and "one of them" in both.text
    assert neither.status_code == 422
    assert backwards.status_code == 422 and "after starts_at" in backwards.text
    assert too_long.status_code == 422 and "366 days" in too_long.text
    assert unknown.status_code == 422 and "does not exist" in unknown.text
    assert not_a_time.status_code == 422
    # A refused window comes back as sent, each refusal beside its field (the page, not the
    # error page): the times in UTC for their controls, which the script shows in local time.
    assert 'id="window-starts_at-error"' in not_a_time.text and 'value="soon"' in not_a_time.text
    assert 'id="window-errors"' in backwards.text and 'value="replace the cable"' in backwards.text
    assert 'value="2099-03-01T13:30" data-instant="2099-03-01T13:30Z"' in unknown.text
    assert 'value="NOPE-1"' in unknown.text
    assert "replace the cable" in after.text and "2 windows" in after.text
    assert (own["starts_at"], own["ends_at"]) == (
        "2099-03-01T10:00:00Z",
        "2099-03-01T13:30:00Z",
    )
    assert own["created_by"] and own["reason"] == "replace the cable"
    assert cancelled.status_code == 303 and again.status_code == 404
    assert not_ours.status_code == 404 and no_csrf.status_code == 403
    assert (await tenant.api.get(f"/maintenance-windows/{own['id']}")).status_code == 404
    assert (await other_tenant.api.get(f"/maintenance-windows/{foreign['id']}")).status_code == 200


async def test_a_site_confined_operator_sees_and_plans_only_its_sites(tenant: Tenant) -> None:
    north, north_station = await placed_station(tenant, "north")
    south, south_station = await placed_station(tenant, "south")
    north_window = await planned(tenant, station_id=north_station, reason="north station")
    north_site = await planned(tenant, location_id=north, reason="north site")
    south_window = await planned(tenant, station_id=south_station, reason="south station")
    await planned(tenant, location_id=south, reason="south site")
    operator = await confined(tenant, "operator", north)
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/maintenance-windows")
        csrf = hidden(listing.text, "csrf_token")
        outside = await client.post(
            "/maintenance-windows",
            data={"csrf_token": csrf, "station_id": south_station} | SOON,
        )
        outside_site = await client.post(
            "/maintenance-windows", data={"csrf_token": csrf, "location_id": south} | SOON
        )
        inside = await client.post(
            "/maintenance-windows",
            data={"csrf_token": csrf, "location_id": north, "reason": "north again"} | SOON,
        )
        theirs = await client.post(
            f"/maintenance-windows/{south_window['id']}/delete", data={"csrf_token": csrf}
        )
        own_site = await client.post(
            f"/maintenance-windows/{north_site['id']}/delete", data={"csrf_token": csrf}
        )
        after = await client.get("/maintenance-windows")
    assert "north station" in listing.text and "north site" in listing.text
    assert "south" not in listing.text and "2 windows" in listing.text
    assert f'<option value="{south}"' not in listing.text
    assert outside.status_code == 422 and outside_site.status_code == 422
    assert inside.status_code == 303 and "north again" in after.text
    assert theirs.status_code == 404 and own_site.status_code == 303
    assert "north site" not in after.text and north_window["reason"] in after.text
    remaining = (await tenant.api.get("/maintenance-windows")).json()["items"]
    assert {w["reason"] for w in remaining} == {
        "north station",
        "north again",
        "south station",
        "south site",
    }


async def test_an_operator_moves_a_window_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id = await register(tenant)
    window = await planned(tenant, station_id=station_id, reason="swap the cable")
    foreign = await planned(other_tenant, station_id=await register(other_tenant))
    viewer = await make_user(tenant, "viewer")
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/maintenance-windows")
        refused = await client.post(
            f"/maintenance-windows/{window['id']}",
            data={"csrf_token": hidden(listing.text, "csrf_token"), "revision": "1"},
        )
    assert "Move</button>" not in listing.text and refused.status_code == 403
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/maintenance-windows")
        csrf = hidden(listing.text, "csrf_token")
        revision = hidden(listing.text, "revision")
        backwards = await client.post(
            f"/maintenance-windows/{window['id']}",
            data={"csrf_token": csrf, "revision": revision, "ends_at": "2099-05-01T00:00"},
        )
        moved = await client.post(
            f"/maintenance-windows/{window['id']}",
            data={
                "csrf_token": csrf,
                "revision": revision,
                "starts_at": "2099-07-01T10:00:00+02:00",
                "ends_at": "2099-07-01T14:00",
            },
        )
        stale = await client.post(
            f"/maintenance-windows/{window['id']}",
            data={"csrf_token": csrf, "revision": revision, "starts_at": "2099-07-01T09:00"},
        )
        bad = await client.post(
            f"/maintenance-windows/{window['id']}",
            data={"csrf_token": csrf, "revision": "2", "starts_at": "tomorrow"},
        )
        theirs = await client.post(
            f"/maintenance-windows/{foreign['id']}",
            data={"csrf_token": csrf, "revision": "1", "starts_at": "2099-07-01T09:00"},
        )
    assert backwards.status_code == 422 and "ends" in backwards.text.lower()
    assert moved.status_code == 303, moved.text
    assert stale.status_code == 412 and bad.status_code == 422 and theirs.status_code == 404
    stored = (await tenant.api.get(f"/maintenance-windows/{window['id']}")).json()
    assert stored["starts_at"].startswith("2099-07-01T08:00:00")
    assert stored["ends_at"].startswith("2099-07-01T14:00:00")
    assert stored["reason"] == "swap the cable"
