"""Site isolation, as tests/api/test_isolation.py checks tenants: an operator confined to one
site finds another site's stations, and everything of theirs, "not found", in every read,
list, command and the event stream, while its own site answers as usual."""

import asyncio
from typing import Any

import pytest

from tests.api.factories import USER_PASSWORD
from tests.dashboard.conftest import User, browser_client
from tests.events.test_stream import frames, next_frames
from tests.site_scopes.conftest import Estate

# Every read of one station-owned object (or of a location), by path template over a Site's ids:
# the confined operator gets its own site's and a 404 for the other site's.
READS = [
    "/stations/{station_id}",
    "/stations/{station_id}/status-history",
    "/stations/{station_id}/evses",
    "/stations/{station_id}/evses/1",
    "/stations/{station_id}/evses/1/connectors",
    "/stations/{station_id}/evses/1/schedule-check",
    "/stations/{station_id}/device-model",
    "/stations/{station_id}/device-model/monitors",
    "/stations/{station_id}/reports",
    "/stations/{station_id}/charging-limits",
    "/stations/{station_id}/charging-needs",
    "/stations/{station_id}/ev-charging-schedules",
    "/stations/{station_id}/event-streams",
    "/transactions/{transaction_id}",
    "/transactions/{transaction_id}/meter-values",
    "/transactions/{transaction_id}/events",
    "/cdrs/{cdr_id}",
    "/alerts/{alert_id}",
    "/commands/{command_id}",
    "/reservations/{reservation_id}",
    "/events/{event_id}",
    "/locations/{location_id}",
    "/locations/{location_id}/tree",
    "/locations/{child_id}",
    "/timeseries/stations/{station_id}",
    "/timeseries/stations/{station_id}/availability",
    "/timeseries/sessions/{transaction_id}",
    "/timeseries/locations/{location_id}",
    "/kpis/uptime?station_id={station_id}",
    "/kpis/sessions?station_id={station_id}",
    "/kpis/connectivity?station_id={station_id}",
    "/kpis/utilisation?station_id={station_id}",
]


async def test_another_sites_object_is_not_found(estate: Estate) -> None:
    """One estate for every read (it takes two stations' sessions to build); each read that
    misbehaves is named."""
    wrong = []
    for template in READS:
        mine = await estate.scoped.get(template.format(**estate.mine.ids()))
        theirs = await estate.scoped.get(template.format(**estate.theirs.ids()))
        # ...and an admin still reads the other site's.
        admin = await estate.admin.api.get(template.format(**estate.theirs.ids()))
        answers = (mine.status_code, theirs.status_code, admin.status_code)
        # (A schedule check of a station on no circuit is a 409, but not a 404.)
        if 404 in (mine.status_code, admin.status_code) or theirs.status_code != 404:
            wrong.append((template, answers, theirs.text[:200]))
    assert wrong == [], "\n".join(map(str, wrong))


# Every list of station-owned rows, with the field naming the row's station.
LISTS = [
    ("/stations", "id"),
    ("/transactions", "station_id"),
    ("/meter-values", "station_id"),
    ("/cdrs", "station_id"),
    ("/alerts", "station_id"),
    ("/commands", "station_id"),
    ("/reservations", "station_id"),
    ("/message-log", "station_id"),
    ("/security-events", "station_id"),
    ("/events", "station_id"),
]


async def test_kpis_of_another_site_count_nothing(estate: Estate) -> None:
    params = {"location_id": estate.theirs.child_id}
    theirs = (await estate.scoped.get("/kpis/sessions", params=params)).json()
    admin = (await estate.admin.api.get("/kpis/sessions", params=params)).json()
    assert admin["total"]["sessions"] == 1
    assert theirs["total"]["sessions"] == 0
    everything = (await estate.scoped.get("/kpis/sessions")).json()
    assert everything["total"]["sessions"] == 1


async def test_lists_hold_only_the_users_sites(estate: Estate) -> None:
    both = {estate.mine.station_id, estate.theirs.station_id}
    wrong = []
    for path, field in LISTS:
        everything = await estate.admin.api.get(path, params={"limit": 1000})
        assert {item[field] for item in everything.json()["items"]} >= both, path
        listed = await estate.scoped.get(path, params={"limit": 1000})
        assert listed.status_code == 200, listed.text
        # Only the site's station: no other site's rows, and no organization-wide ones (an
        # event about a user or a tariff has no station).
        seen = {item[field] for item in listed.json()["items"]}
        asked = await estate.scoped.get(path, params={"station_id": estate.theirs.station_id})
        if seen != {estate.mine.station_id} or (path != "/stations" and asked.json()["total"]):
            wrong.append((path, seen))
    assert wrong == [], "\n".join(map(str, wrong))


async def test_locations_list_holds_the_users_subtree(estate: Estate) -> None:
    listed = (await estate.scoped.get("/locations", params={"limit": 1000})).json()
    assert {item["id"] for item in listed["items"]} == {
        estate.mine.location_id,
        estate.mine.child_id,
    }
    under = await estate.scoped.get("/stations", params={"location_id": estate.theirs.location_id})
    assert under.json()["total"] == 0


# Commands and changes to another site's station: "not found", as for another organization's.
COMMANDS = [
    ("post", "/stations/{station_id}/commands/reset", {"type": "soft"}),
    ("post", "/stations/{station_id}/commands/clear-cache", {}),
    ("post", "/stations/{station_id}/commands/unlock-connector", {"evse_id": 1}),
    ("post", "/stations/{station_id}/commands/remote-stop", {"transaction_id": 1}),
    ("post", "/stations/{station_id}/commands/force-stop", {"transaction_id": 1}),
    ("post", "/stations/{station_id}/power-limit", {"limit": 11, "unit": "kW"}),
    ("post", "/stations/{station_id}/password", {}),
    ("post", "/stations/{station_id}/uploads", {"kind": "diagnostics"}),
    ("post", "/stations/{station_id}/commands/trigger-message", {"message": "Heartbeat"}),
    ("delete", "/stations/{station_id}/power-limit", None),
    ("post", "/stations/{station_id}/evses", {"evse_id": 9, "connectors": []}),
    ("patch", "/stations/{station_id}", {"name": "taken over"}),
    ("patch", "/locations/{location_id}", {"name": "taken over"}),
    ("patch", "/alerts/{alert_id}", {"status": "Acknowledged"}),
    ("delete", "/stations/{station_id}", None),
    ("delete", "/locations/{child_id}", None),
]


def _filled(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: _filled(item, ids) for key, item in value.items()}
    return value


async def test_another_sites_station_cannot_be_commanded_or_changed(estate: Estate) -> None:
    ids = estate.theirs.ids()
    wrong = []
    for method, template, body in COMMANDS:
        request = estate.scoped.build_request(
            method.upper(),
            template.format(**ids),
            json=None if body is None else _filled(body, ids),
            headers={"If-Match": "*"},
        )
        answer = await estate.scoped.send(request)
        if answer.status_code != 404:
            wrong.append((method, template, answer.status_code, answer.text[:200]))
    assert wrong == [], "\n".join(map(str, wrong))
    station = await estate.admin.api.get(f"/stations/{estate.theirs.station_id}")
    assert station.status_code == 200 and station.json()["name"] != "taken over"
    location = await estate.admin.api.get(f"/locations/{estate.theirs.child_id}")
    assert location.status_code == 200


async def test_a_command_to_the_users_own_station_goes_through(estate: Estate) -> None:
    answer = await estate.scoped.post(
        f"/stations/{estate.mine.station_id}/commands/reset", json={"type": "soft"}
    )
    assert answer.status_code != 404, answer.text
    both = [estate.mine.station_id, estate.theirs.station_id]
    bulk = await estate.scoped.post("/commands/reset", json={"station_ids": both, "type": "soft"})
    assert bulk.status_code == 200, bulk.text
    statuses = {r["station_id"]: r["http_status"] for r in bulk.json()["results"]}
    assert statuses[estate.theirs.station_id] == 404
    assert statuses[estate.mine.station_id] != 404
    mine = await estate.scoped.get("/commands", params={"limit": 1000})
    assert {c["station_id"] for c in mine.json()["items"]} == {estate.mine.station_id}


async def test_the_event_stream_sends_only_the_users_sites(estate: Estate) -> None:
    admin = estate.admin.api
    async with estate.scoped.stream("GET", "/events/stream") as response:
        assert response.status_code == 200
        stream = frames(response)
        await admin.patch(f"/stations/{estate.theirs.station_id}", json={"name": "Theirs"})
        await admin.post("/id-tags", json={"value": "ORGANIZATION-WIDE"})
        await admin.patch(f"/stations/{estate.mine.station_id}", json={"name": "Mine"})
        (frame,) = await next_frames(stream, 1)
        assert frame["data"]["station_id"] == estate.mine.station_id
        # Nothing else was queued for this reader meanwhile.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(stream), 0.5)
    assert frame["event"] == "station.updated"


async def test_report_downloads_hold_only_the_users_sites(estate: Estate) -> None:
    kinds = ("transactions", "cdrs", "alerts", "meter-values", "ocpp-messages", "status-history")
    for kind in (*kinds, "uptime"):
        csv = await estate.scoped.get(f"/reports/{kind}.csv")
        assert csv.status_code == 200, csv.text
        assert estate.mine.station_id in csv.text
        assert estate.theirs.station_id not in csv.text


async def test_network_status_holds_only_the_users_stations(estate: Estate) -> None:
    status = (await estate.scoped.get("/network-status")).json()
    assert {s["station_id"] for s in status["items"]} == {estate.mine.station_id}


async def test_dashboard_stations_page_shows_only_the_users_stations(estate: Estate) -> None:
    base = estate.admin.server.base_url
    page = await estate.scoped.get(f"{base}/stations")
    assert page.status_code == 200, page.text
    assert estate.mine.station_id in page.text
    assert estate.theirs.station_id not in page.text
    theirs = await estate.scoped.get(f"{base}/stations/{estate.theirs.station_id}")
    assert theirs.status_code == 404
    overview = await estate.scoped.get(f"{base}/")
    assert overview.status_code == 200, overview.text
    assert estate.theirs.station_id not in overview.text


async def test_a_dashboard_session_is_confined_like_a_token(estate: Estate) -> None:
    """Signed in with a session cookie: the same sites, read afresh at each page."""
    user = User(estate.email, USER_PASSWORD, estate.user_id)
    async with browser_client(estate.admin, user) as client:
        page = await client.get("/stations")
        assert page.status_code == 200, page.text
        assert estate.mine.station_id in page.text
        assert estate.theirs.station_id not in page.text
        moved = await estate.admin.api.patch(
            f"/users/{estate.user_id}", json={"location_ids": [estate.theirs.location_id]}
        )
        assert moved.status_code == 200
        page = await client.get("/stations")
        assert estate.theirs.station_id in page.text
        assert estate.mine.station_id not in page.text
