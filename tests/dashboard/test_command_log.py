"""The dashboard's command log: a viewer reads every remote operation sent to the
organization's stations, newest first, filtered by station, command and who sent it, and one
command with its request, what went on the wire and the station's answer; a station password
sent in a command is masked everywhere on both pages; a command that found the station offline
is listed with why; a bad page is 422, an unknown or foreign command 404; a user confined to
another site and another organization see none of it."""

from chargeyard.security.station_secrets import MASK
from tests.commands.conftest import command, register
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, confined_viewer, make_user

SECRET = "never-on-a-dashboard-page"


def table(page: str) -> str:
    return page.split('<table id="commands">')[1].split("</table>")[0]


async def test_a_viewer_reads_the_command_log_with_secrets_masked(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    online, offline = await register(tenant), await register(tenant)
    key = {"key": "AuthorizationKey", "value": SECRET}
    async with scripted_station(tenant.server.ocpp_url, online):
        changed = await command(tenant, online, "change-configuration", key)
        cleared = await command(tenant, online, "clear-cache", {})
    refused = await command(tenant, offline, "clear-cache", {})
    assert changed.status_code == 200 and cleared.status_code == 200, changed.text
    assert refused.status_code == 409, refused.text
    changed_id = changed.json()["command_id"]
    viewer = await make_user(tenant, "viewer")
    confined = await confined_viewer(tenant)
    outsider = await make_user(other_tenant, "admin")
    async with browser_client(tenant, viewer) as client:
        everything = await client.get("/commands")
        of_online = await client.get("/commands", params={"station": online})
        changes = await client.get("/commands", params={"command": "change-configuration"})
        detail = await client.get(f"/commands/{changed_id}")
        station_page = await client.get(f"/stations/{online}")
        unknown = await client.get("/commands/no-such-command")
        bad_page = await client.get("/commands", params={"page": 2**63})
    async with browser_client(tenant, confined) as client:
        confined_list = await client.get("/commands")
        confined_detail = await client.get(f"/commands/{changed_id}")
    async with browser_client(other_tenant, outsider) as client:
        foreign_list = await client.get("/commands")
        foreign_detail = await client.get(f"/commands/{changed_id}")

    rows = table(everything.text)
    assert everything.status_code == 200 and 'aria-current="page">Commands' in everything.text
    assert f'href="/commands/{changed_id}"' in rows and f'href="/stations/{offline}"' in rows
    assert rows.index("clear-cache") < rows.index("change-configuration")  # newest first
    assert f'href="/stations/{offline}"' not in table(of_online.text)
    assert "clear-cache" not in table(changes.text)
    assert "change-configuration" in table(changes.text)
    assert f'href="/commands?station={online}"' in station_page.text
    assert f'href="/events?station={online}"' in station_page.text
    assert detail.status_code == 200 and "Accepted" in detail.text
    assert "ChangeConfiguration" in detail.text and MASK in detail.text
    assert SECRET not in everything.text + detail.text
    assert unknown.status_code == 404 and foreign_detail.status_code == 404
    assert confined_detail.status_code == 404
    assert bad_page.status_code == 422
    assert "No command matches." in confined_list.text
    assert "No command matches." in foreign_list.text
