"""The smart charging pages over HTTP: circuits and what hangs below them, a circuit's page and
its plot data, and the settings form with the REST API's roles and rules."""

from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def make_circuit(tenant: Tenant, **body: object) -> str:
    made = await tenant.api.post("/circuits", json={"name": tenant.unique("site"), **body})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def test_circuits_list_with_what_hangs_below(tenant: Tenant) -> None:
    site = await make_circuit(tenant, max_power_kw=50, buffer_kw=2)
    hall = await make_circuit(tenant, parent_id=site, max_current_a=32)
    station_id = await register(tenant)
    assert (
        await tenant.api.patch(f"/stations/{station_id}", json={"circuit_id": hall})
    ).status_code == 200
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/circuits")
        searched = await client.get("/circuits", params={"q": "no such circuit"})
        page = await client.get(f"/circuits/{site}")
        load = await client.get(f"/circuits/{site}/load", params={"hours": 1})
    assert listing.status_code == 200 and "2 circuits" in listing.text
    assert f'href="/circuits/{site}"' in listing.text and "32 A \u00d7 3" in listing.text
    assert searched.status_code == 200 and "No circuit matches" in searched.text
    assert page.status_code == 200
    assert f'href="/circuits/{hall}"' in page.text  # its sub-circuit
    assert 'id="limit-now">48.0 kW' in page.text  # the limit less the buffer
    assert 'data-series="/circuits/' in page.text
    assert 'id="circuit-settings"' not in page.text  # a viewer gets no settings form
    series = load.json()
    assert load.status_code == 200 and series["max_power_kw"] == 50
    assert len(series["time"]) == 2 and series["limit_kw"] == [48.0, 48.0]
    assert series["load_kw"] == [0.0, 0.0] and series["truncated"] is False
    assert "Smart charging has sent no profile" in page.text


async def test_another_organizations_circuit_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign = await make_circuit(other_tenant, max_power_kw=10)
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        page = await client.get(f"/circuits/{foreign}")
        load = await client.get(f"/circuits/{foreign}/load")
        listing = await client.get("/circuits")
    assert page.status_code == 404 and load.status_code == 404
    assert foreign not in listing.text


async def test_an_operator_changes_settings_and_a_viewer_may_not(tenant: Tenant) -> None:
    circuit_id = await make_circuit(tenant, max_power_kw=22, max_current_a=32)
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/circuits/{circuit_id}")
        form = {
            "csrf_token": hidden(page.text, "csrf_token"),
            "revision": hidden(page.text, "revision"),
            "name": "Depot",
            "max_power_kw": "16",
            "buffer_kw": "1",
            "max_current_a": "",  # emptied: the circuit has no per-phase limit any more
            "buffer_a": "",  # left empty: unchanged
            "phases": "3",
            "objective": "load_sharing",
        }
        saved = await client.post(f"/circuits/{circuit_id}", data=form)
        stale = await client.post(f"/circuits/{circuit_id}", data=form | {"name": "Again"})
        fresh = await client.get(f"/circuits/{circuit_id}")
        bad = await client.post(
            f"/circuits/{circuit_id}",
            data=form | {"revision": hidden(fresh.text, "revision"), "max_power_kw": "-1"},
        )
    async with browser_client(tenant, viewer) as client:
        overview = await client.get("/")
        refused = await client.post(
            f"/circuits/{circuit_id}",
            data=form | {"csrf_token": hidden(overview.text, "csrf_token")},
        )
    assert saved.status_code == 303
    assert stale.status_code == 412
    assert bad.status_code == 422
    assert refused.status_code == 403
    after = (await tenant.api.get(f"/circuits/{circuit_id}")).json()
    assert (after["name"], after["max_power_kw"], after["buffer_kw"]) == ("Depot", 16, 1)
    assert (after["max_current_a"], after["buffer_a"]) == (None, 0)
