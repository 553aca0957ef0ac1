"""The dashboard's event log: a viewer reads the organization's events newest first, filtered
by type pattern and station, a page at a time; a bad pattern or page is a 422 page, never a
500; a station's own words (its boot's vendor) are shown as text, never as markup; another
organization and a user confined to another site see none of it."""

from typing import Any

from chargeyard.dashboard.events import SUMMARY_CHARS, EventLine
from chargeyard.events.models import Event
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, confined_viewer, make_user
from tests.protocol.conftest import Stations, eventually
from tests.support.ocpp_client import raw_station

VENDOR = "<script>alert(1)"  # the 1.6 schema allows 20 characters


def table(page: str) -> str:
    return page.split('<table id="events">')[1].split("</table>")[0]


async def test_a_viewer_reads_filters_and_pages_the_event_log(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    stations = Stations(tenant)
    booted, quiet = await stations.register(), await stations.register()
    async with raw_station(tenant.server.ocpp_url, booted) as station:
        boot = {"chargePointVendor": VENDOR, "chargePointModel": "M1"}
        assert (await station.ok("BootNotification", boot))["status"] == "Accepted"

    async def disconnected() -> bool:
        found = await tenant.api.get(
            "/events", params={"type": "station.disconnected", "station_id": booted}
        )
        return bool(found.json()["items"])

    await eventually(disconnected)
    viewer = await make_user(tenant, "viewer")
    confined = await confined_viewer(tenant)
    outsider = await make_user(other_tenant, "admin")
    async with browser_client(tenant, viewer) as client:
        everything = await client.get("/events")
        boots = await client.get("/events", params={"type": "station.booted"})
        comings = await client.get(
            "/events", params={"type": "station.connected, station.disconnected"}
        )
        of_quiet = await client.get("/events", params={"station": quiet, "type": "station.*"})
        bad_pattern = await client.get("/events", params={"type": "station.<b>"})
        bad_page = await client.get("/events", params={"page": 2**63})
        past_the_end = await client.get("/events", params={"page": 99})
    async with browser_client(tenant, confined) as client:
        confined_page = await client.get("/events", params={"station": booted})
    async with browser_client(other_tenant, outsider) as client:
        foreign = await client.get("/events", params={"station": booted})

    assert everything.status_code == 200 and 'aria-current="page">Events' in everything.text
    rows = table(everything.text)
    assert f'href="/stations/{booted}"' in rows and "station.booted" in rows
    assert rows.index("station.disconnected") < rows.index("station.connected")  # newest first
    assert "<script>alert" not in everything.text and "&lt;script&gt;alert(1)" in rows
    assert "station.booted" in table(boots.text) and "station.connected" not in table(boots.text)
    assert "station.connected" in table(comings.text)
    assert "station.booted" not in table(comings.text)
    assert f'href="/stations/{booted}"' not in table(of_quiet.text)
    assert bad_pattern.status_code == 422 and "may hold only" in bad_pattern.text
    assert bad_page.status_code == 422
    assert past_the_end.status_code == 200 and "No event matches." in past_the_end.text
    assert confined_page.status_code == 200 and "No event matches." in confined_page.text
    assert foreign.status_code == 200 and "No event matches." in foreign.text


def line(data: dict[str, Any]) -> EventLine:
    event = Event(type="station.updated", data=data)
    return EventLine(event, str(data))


def test_long_data_is_summarised_and_short_data_shown_whole() -> None:
    short = line({"changed": ["name"]})
    long = line({"samples": ["x" * 40] * 10})
    assert short.summary == short.text
    assert len(long.summary) == SUMMARY_CHARS and long.summary.endswith("…")
    assert long.text.startswith(long.summary[:-1])
