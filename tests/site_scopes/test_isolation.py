"""Site isolation, as tests/api/test_isolation.py checks tenants: an operator confined to one
site finds another site's stations, and everything of theirs, "not found", in every read,
list, command and the event stream, while its own site answers as usual."""

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.factories import USER_PASSWORD, create, created
from tests.dashboard.conftest import User, browser_client, hidden
from tests.events.test_stream import frames, next_frames
from tests.site_scopes.conftest import TAG, Estate, Site
from tests.support.billing import stamp

# Every read of one station-owned object (or of a location), by path template over a Site's ids:
# the confined operator gets its own site's and a 404 for the other site's.
READS = [
    "/stations/{station_id}",
    "/stations/{station_id}/status-history",
    "/stations/{station_id}/evses",
    "/stations/{station_id}/evses/1",
    "/stations/{station_id}/evses/1/connectors",
    "/stations/{station_id}/evses/1/connectors/1",
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


async def test_kpis_of_another_sites_location_are_not_found(estate: Estate) -> None:
    """As another site's station is (a location is checked like a station since KPIs cover a
    location's subtree)."""
    params = {"location_id": estate.theirs.child_id}
    theirs = await estate.scoped.get("/kpis/sessions", params=params)
    admin = (await estate.admin.api.get("/kpis/sessions", params=params)).json()
    assert admin["total"]["sessions"] == 1
    assert theirs.status_code == 404, theirs.text
    above = {"location_id": estate.theirs.location_id}  # its root: the session is below it
    assert (await estate.admin.api.get("/kpis/sessions", params=above)).json()["total"][
        "sessions"
    ] == 1
    assert (await estate.scoped.get("/kpis/uptime", params=above)).status_code == 404
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
    ("patch", "/stations/{station_id}/evses/1", {"physical_reference": "taken over"}),
    ("post", "/stations/{station_id}/evses/1/connectors", {"connector_id": 7}),
    ("patch", "/stations/{station_id}/evses/1/connectors/1", {"max_amperage": 6}),
    ("delete", "/stations/{station_id}/evses/1/connectors/1", None),
    ("delete", "/stations/{station_id}/evses/1", None),
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


@dataclass(frozen=True)
class Circuits:
    """An electrical tree over both sites: `shared` (the site connection) feeds `mine` (with
    `mine_below` under it, holding the user's station) and `theirs` (the other site's
    station); `empty` feeds nothing."""

    shared: str
    mine: str
    mine_below: str
    theirs: str
    empty: str


async def build_circuits(estate: Estate) -> Circuits:
    api = estate.admin.api

    async def circuit(name: str, parent_id: str | None = None) -> str:
        body = {"name": name, "parent_id": parent_id, "max_power_kw": 50}
        return str((await created(api, "/circuits", body))["id"])

    shared = await circuit("Shared connection")
    mine = await circuit("Mine feeder", shared)
    mine_below = await circuit("Mine bay", mine)
    theirs = await circuit("Theirs feeder", shared)
    empty = await circuit("Empty feeder")
    for station_id, circuit_id in (
        (estate.mine.station_id, mine_below),
        (estate.theirs.station_id, theirs),
    ):
        hung = await api.patch(f"/stations/{station_id}", json={"circuit_id": circuit_id})
        assert hung.status_code == 200, hung.text
    return Circuits(shared, mine, mine_below, theirs, empty)


def _window(hours: int) -> dict[str, str]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    return {"starts_at": stamp(start), "ends_at": stamp(start + timedelta(hours=1))}


async def test_a_site_sees_only_circuits_feeding_its_stations_alone(estate: Estate) -> None:
    """The rule of docs/access.md: a circuit with a station under it, every one of which is in
    the user's sites. A circuit that also feeds another site, or nothing, is not found."""
    tree = await build_circuits(estate)
    api = estate.admin.api
    for circuit_id in (tree.shared, tree.mine, tree.theirs):
        added = await api.post(
            f"/circuits/{circuit_id}/capacity-windows", json=_window(1) | {"max_power_kw": 9}
        )
        assert added.status_code == 201, added.text
    listed = await estate.scoped.get("/circuits", params={"limit": 1000})
    assert {c["id"] for c in listed.json()["items"]} == {tree.mine, tree.mine_below}
    everything = await api.get("/circuits", params={"limit": 1000})
    assert len(everything.json()["items"]) == 5
    reads = [
        "/circuits/{}",
        "/circuits/{}/capacity-windows",
        "/timeseries/circuits/{}",
    ]
    wrong = []
    for template in reads:
        for circuit_id, seen in (
            (tree.mine, 200),
            (tree.mine_below, 200),
            (tree.shared, 404),
            (tree.theirs, 404),
            (tree.empty, 404),
        ):
            answer = await estate.scoped.get(template.format(circuit_id))
            admin = await api.get(template.format(circuit_id))
            if (answer.status_code, admin.status_code) != (seen, 200):
                wrong.append((template, circuit_id, answer.status_code, admin.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    windows = (await estate.scoped.get(f"/circuits/{tree.mine}/capacity-windows")).json()
    assert [w["circuit_id"] for w in windows] == [tree.mine]


async def test_circuit_inputs_and_plans_of_another_site_stay_hidden(estate: Estate) -> None:
    tree = await build_circuits(estate)
    api = estate.admin.api
    prices = [
        _window(1) | {"price_per_kwh": "0.30"},
        _window(2) | {"price_per_kwh": "0.20", "circuit_id": tree.mine},
        _window(3) | {"price_per_kwh": "0.10", "circuit_id": tree.theirs},
    ]
    assert (await api.post("/energy-prices", json=prices)).status_code == 201
    for circuit_id in (tree.mine, tree.theirs, tree.shared):
        curtailment = _window(1) | {"circuit_id": circuit_id, "max_power_kw": 5}
        assert (await api.post("/demand-response-events", json=curtailment)).status_code == 201
    seen_prices = (await estate.scoped.get("/energy-prices", params={"limit": 1000})).json()
    # The organization's own prices apply to the user's stations too; another site's do not.
    assert {p["circuit_id"] for p in seen_prices["items"]} == {None, tree.mine}
    events = (await estate.scoped.get("/demand-response-events", params={"limit": 1000})).json()
    assert {e["circuit_id"] for e in events["items"]} == {tree.mine}
    # A plan is the whole site's: the shared connection also feeds the other site.
    mine = await estate.scoped.post(f"/circuits/{tree.mine_below}/what-if", json={})
    theirs = await estate.scoped.post(f"/circuits/{tree.theirs}/what-if", json={})
    admin = await api.post(f"/circuits/{tree.mine_below}/what-if", json={})
    assert (mine.status_code, theirs.status_code, admin.status_code) == (403, 404, 200)
    # The circuits' changes stay the whole organization's (403 before anything is looked up).
    changed = await estate.scoped.patch(f"/circuits/{tree.mine}", json={"name": "taken over"})
    assert changed.status_code == 403
    # It hangs its own station only on a circuit it sees.
    moved = await estate.scoped.patch(
        f"/stations/{estate.mine.station_id}", json={"circuit_id": tree.theirs}
    )
    assert moved.status_code == 422, moved.text
    kept = await estate.scoped.patch(
        f"/stations/{estate.mine.station_id}", json={"circuit_id": tree.mine}
    )
    assert kept.status_code == 200, kept.text


async def test_a_site_with_its_own_connection_gets_its_plan(estate: Estate) -> None:
    api = estate.admin.api
    made = await created(api, "/circuits", {"name": "Own connection", "max_power_kw": 22})
    hung = await api.patch(f"/stations/{estate.mine.station_id}", json={"circuit_id": made["id"]})
    assert hung.status_code == 200, hung.text
    plan = await estate.scoped.post(f"/circuits/{made['id']}/what-if", json={})
    assert plan.status_code == 200, plan.text
    assert plan.json()["circuit_id"] == made["id"]


async def test_dashboard_circuit_pages_show_only_the_users_circuits(estate: Estate) -> None:
    tree = await build_circuits(estate)
    base = estate.admin.server.base_url
    page = await estate.scoped.get(f"{base}/circuits")
    assert page.status_code == 200, page.text
    assert "Mine feeder" in page.text and "Mine bay" in page.text
    for name in ("Shared connection", "Theirs feeder", "Empty feeder"):
        assert name not in page.text
    for path in ("/circuits/{}", "/circuits/{}/load"):
        assert (await estate.scoped.get(base + path.format(tree.mine))).status_code == 200
        assert (await estate.scoped.get(base + path.format(tree.theirs))).status_code == 404
    own = await estate.scoped.get(f"{base}/circuits/{tree.mine}")
    # Its parent, the shared connection, is not named on its page.
    assert "Shared connection" not in own.text
    user = User(estate.email, USER_PASSWORD, estate.user_id)
    async with browser_client(estate.admin, user) as client:
        listing = await client.get("/circuits")
        csrf = hidden(listing.text, "csrf_token")
        page = await client.get(f"/circuits/{tree.mine_below}")
        # Only the form it may use is offered: hanging its own stations.
        assert 'id="new-circuit"' not in listing.text
        assert 'id="add-station"' in page.text
        for form in ("add-window", "circuit-settings", "delete-circuit"):
            assert f'id="{form}"' not in page.text
        create = await client.post("/circuits", data={"csrf_token": csrf, "name": "Mine too"})
        window = await client.post(
            f"/circuits/{tree.mine}/windows",
            data={"csrf_token": csrf, **_window(1), "max_power_kw": "7"},
        )
    assert (create.status_code, window.status_code) == (403, 403)


async def test_maintenance_windows_of_the_users_locations_are_its_own(estate: Estate) -> None:
    """A window of a whole location is the site's when the location is (not only a station's)."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    when = {"starts_at": stamp(start), "ends_at": stamp(start + timedelta(hours=2))}
    own = await estate.scoped.post(
        "/maintenance-windows", json={"location_id": estate.mine.child_id, **when}
    )
    assert own.status_code == 201, own.text
    theirs = await created(
        estate.admin.api, "/maintenance-windows", {"location_id": estate.theirs.child_id, **when}
    )
    station = await created(
        estate.admin.api, "/maintenance-windows", {"station_id": estate.mine.station_id, **when}
    )
    listed = await estate.scoped.get("/maintenance-windows", params={"limit": 1000})
    assert {w["id"] for w in listed.json()["items"]} == {own.json()["id"], station["id"]}
    assert (await estate.scoped.get(f"/maintenance-windows/{own.json()['id']}")).status_code == 200
    assert (await estate.scoped.get(f"/maintenance-windows/{theirs['id']}")).status_code == 404
    elsewhere = await estate.scoped.post(
        "/maintenance-windows", json={"location_id": estate.theirs.child_id, **when}
    )
    assert elsewhere.status_code in (404, 422), elsewhere.text


async def test_no_list_of_the_api_names_another_sites_station(estate: Estate) -> None:
    """Every GET of the OpenAPI document without a path parameter (so a list added later is
    checked too): where an admin's answer names the other site's station, the confined
    operator's must not."""
    base = estate.admin.server.base_url
    document = (await estate.admin.api.get(f"{base}/openapi.json")).json()
    theirs, wrong, named = estate.theirs.station_id, [], 0
    for path, operations in document["paths"].items():
        if "get" not in operations or "{" in path or path.endswith("/stream"):
            continue
        pageable = any(p["name"] == "limit" for p in operations["get"].get("parameters", []))
        params = {"limit": 1000} if pageable else None
        relative = path.removeprefix("/api/v1")
        if theirs not in (await estate.admin.api.get(relative, params=params)).text:
            continue
        named += 1
        if theirs in (await estate.scoped.get(relative, params=params)).text:
            wrong.append(relative)
    assert named >= len(LISTS)
    assert wrong == []


async def test_a_template_is_re_applied_to_the_users_stations_only(estate: Estate) -> None:
    template = await created(
        estate.admin.api,
        "/hardware-templates",
        {"vendor": "Acme", "model": "Wallbox 22", "evses": [{"evse_id": 1, "connectors": []}]},
    )
    path = f"/hardware-templates/{template['id']}/apply"
    done = await estate.scoped.post(path, json={"dry_run": True})
    assert done.status_code == 200, done.text
    assert [s["station_id"] for s in done.json()["stations"]] == [estate.mine.station_id]
    named = await estate.scoped.post(path, json={"station_ids": [estate.theirs.station_id]})
    assert named.status_code == 404


async def test_maintenance_windows_are_seen_and_planned_only_within_the_sites(
    estate: Estate,
) -> None:
    """A window of the user's station or of a location of its sites is listed (a location's
    window has no station: it was hidden before); another site's is not found, and a window
    for another site's location cannot be planned."""
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    times = {
        "starts_at": tomorrow.isoformat(),
        "ends_at": (tomorrow + timedelta(hours=1)).isoformat(),
    }
    made = {}
    for site in (estate.mine, estate.theirs):
        for body in ({"station_id": site.station_id}, {"location_id": site.child_id}):
            window = await created(estate.admin.api, "/maintenance-windows", body | times)
            made[site.station_id, "location_id" in body] = window["id"]
    mine = {made[estate.mine.station_id, False], made[estate.mine.station_id, True]}

    listed = await estate.scoped.get("/maintenance-windows", params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    assert {w["id"] for w in listed.json()["items"]} == mine
    theirs = made[estate.theirs.station_id, True]
    assert (await estate.scoped.get(f"/maintenance-windows/{theirs}")).status_code == 404
    refused = await estate.scoped.post(
        "/maintenance-windows", json={"location_id": estate.theirs.location_id} | times
    )
    assert refused.status_code == 422, refused.text
    planned = await estate.scoped.post(
        "/maintenance-windows", json={"location_id": estate.mine.location_id} | times
    )
    assert planned.status_code == 201, planned.text


# The path parameters a Site names, and those any object answers the same way.
SITE_PARAMETERS = {
    "station_id",
    "transaction_id",
    "location_id",
    "reservation_id",
    "command_id",
    "alert_id",
    "cdr_id",
    "event_id",
}
FIXED_PARAMETERS = {"evse_id": 1, "connector_id": 1, "format": "csv"}

# Reads the walk below cannot reach with the estate it builds, each with why: a read added later
# is walked, or fails the walk until it is named here.
NOT_WALKED = {
    "/files/downloads/{token}": "the token is the credential: no caller is scoped",
    "/stations/{station_id}/event-streams/{stream_id}/values": "only a 2.1 station opens one",
    "/settlements/{settlement_id}": "only a 2.1 payment terminal settles",
    "/files/{file_id}": "no station of the estate uploads a file",
    "/files/{file_id}/content": "no station of the estate uploads a file",
    "/reports/{report_id}": "a site-scoped user cannot build a report (403)",
    "/reports/{report_id}/content": "a site-scoped user cannot build a report (403)",
    "/transactions/{transaction_id}/charging-needs": "the estate's 1.6 sessions report none",
}
# The whole organization's objects (docs/access.md), never narrowed: walked when the estate
# holds one, to see that none names another site.
ORGANIZATION_WIDE = {
    "driver_id",
    "voucher_id",
    "plan_id",
    "subscription_id",
    "group_id",
    "code_id",
    "webhook_id",
}


def _collection(path: str, name: str) -> str:
    """The list an object of the path parameter `name` is found in: the path before it."""
    return path[: path.index("{" + name + "}")].rstrip("/")


async def _walk_ids(
    estate: Estate, path: str, site: Site, circuit_id: str
) -> tuple[str, bool] | None:
    """`path` filled for `site` (as the admin finds it), and whether it names the site itself
    (a station-owned object) rather than something of the whole organization; None when the
    estate has nothing to fill it with."""
    ids = site.ids() | {"circuit_id": circuit_id}
    own = False
    for name in re.findall(r"{(\w+)}", path):
        if name in SITE_PARAMETERS | {"circuit_id"}:
            path, own = path.replace("{" + name + "}", str(ids[name])), True
        elif name in FIXED_PARAMETERS:
            path = path.replace("{" + name + "}", str(FIXED_PARAMETERS[name]))
        else:
            listed = await estate.admin.api.get(_collection(path, name), params={"limit": 1000})
            body = listed.json() if listed.status_code == 200 else {}
            items = body.get("items", body) if isinstance(body, dict) else body
            if not items:
                return None
            # The site's own object where the list has one (a permission or a window of its
            # station), else the first: an object of the whole organization.
            named = [i for i in items if site.station_id in json.dumps(i)]
            path = path.replace("{" + name + "}", str((named or items)[0]["id"]))
            own = own or bool(named)
    return path, own


async def test_no_read_of_the_api_shows_another_sites_objects(estate: Estate) -> None:
    """Every GET of the OpenAPI document with a path parameter, filled with the other site's
    objects (or, for what belongs to the whole organization, any object of it): the confined
    operator gets 404 for the other site's, and no answer names the other site's station or
    locations. A read added later is walked too, or must be named in NOT_WALKED."""
    api, theirs = estate.admin.api, estate.theirs
    for body in ({"station_id": theirs.station_id}, {"location_id": theirs.child_id}):
        await created(api, "/permissions", body | {"id_tag": TAG})
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        when = {"starts_at": stamp(start), "ends_at": stamp(start + timedelta(hours=1))}
        await created(api, "/maintenance-windows", body | when)
    tree = await build_circuits(estate)
    for resource in ("tag-groups", "vehicles", "hardware-templates"):
        await create(estate.admin, resource)
    # A meter of the other site: its reads are 404 and never name the site's location.
    await created(api, "/external-meters", {"name": "meter", "location_id": theirs.child_id})
    document = (await api.get(f"{estate.admin.server.base_url}/openapi.json")).json()
    secrets = (theirs.station_id, theirs.location_id, theirs.child_id)
    wrong, walked = [], set()
    for full, operations in document["paths"].items():
        template = full.removeprefix("/api/v1")
        if "get" not in operations or "{" not in template or template in NOT_WALKED:
            continue
        filled = await _walk_ids(estate, template, theirs, tree.theirs)
        if filled is None and ORGANIZATION_WIDE & set(re.findall(r"{(\w+)}", template)):
            continue
        admin = None if filled is None else await api.get(filled[0])
        # (A schedule check of a station on no managed circuit is a 409, but not a 404.)
        if filled is None or admin is None or admin.status_code not in (200, 409):
            wrong.append((template, "not walked", None if admin is None else admin.status_code))
            continue
        walked.add(template)
        path, own = filled
        answer = await estate.scoped.get(path)
        shown = answer.text if answer.is_success else ""
        leaked = [s for s in secrets if s in shown]
        if leaked or (own and answer.status_code != 404):
            wrong.append((template, answer.status_code, leaked, answer.text[:200]))
    assert wrong == [], "\n".join(map(str, wrong))
    assert {r.removeprefix("/api/v1") for r in document["paths"]} >= set(NOT_WALKED)
    templates = {
        read.replace("/evses/1", "/evses/{evse_id}")
        .replace("/connectors/1", "/connectors/{connector_id}")
        .replace("{child_id}", "{location_id}")
        for read in READS
        if "?" not in read
    }
    assert walked >= templates
