"""A station's EVSE wiring page over HTTP: each EVSE's lines, supply and power as smart charging
plans it (its own wiring, its station's default, or the assumed 3 x 32 A) and the circuit the
station is on; an operator of the whole organization sets it with the REST API's `WiringIn` and
`WiringService.set` rules (refusals beside their fields, the form as sent);
viewers and site-confined operators read without the form and get 403."""

import re
from typing import Any

from tests.commands.v201.test_simulated_station import simulated
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_circuits import make_circuit
from tests.protocol.conftest import eventually

SINGLE_L2 = {"supply": "ac_single_phase", "lines": "L2", "voltage_v": "230", "max_power_kw": "7.4"}


def cell(page: str, kind: str, evse_id: int) -> str:
    found = re.search(rf'data-evse-{kind}="{evse_id}">([^<]*)<', page)
    assert found is not None, f"no {kind} of EVSE {evse_id}"
    return found.group(1)


async def with_evses(tenant: Tenant, station_id: str) -> None:
    async def reported() -> bool:
        evses = await tenant.api.get(f"/stations/{station_id}/evses")
        return {e["evse_id"] for e in evses.json()["items"]} >= {1, 2}

    await eventually(reported)


async def test_an_operator_wires_evses_to_their_lines(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    hall = await make_circuit(tenant, max_current_a=63)
    async with simulated(tenant) as (station_id, _station):
        await with_evses(tenant, station_id)
        await tenant.api.patch(f"/stations/{station_id}", json={"circuit_id": hall})
        base = f"/stations/{station_id}/wiring"
        async with browser_client(tenant, operator) as client:
            page = await client.get(base)
            csrf = hidden(page.text, "csrf_token")
            default = await client.post(
                base, data={"csrf_token": csrf, "evse_id": "0", **SINGLE_L2}
            )
            after_default = await client.get(base)
            three_on_two = await client.post(
                base,
                data={
                    "csrf_token": csrf,
                    **SINGLE_L2,
                    "evse_id": "2",
                    "supply": "ac_three_phase_ll",
                },
            )
            broken = await client.post(
                base,
                data={
                    "csrf_token": csrf,
                    **SINGLE_L2,
                    "evse_id": "2",
                    "voltage_v": "-5",
                    "lines": "L4",
                },
            )
            own = await client.post(
                base,
                data={
                    "csrf_token": csrf,
                    "evse_id": "2",
                    "supply": "ac_three_phase_ll",
                    "lines": "L1, L2, L3",
                    "voltage_v": "400",
                    "max_power_kw": "22",
                    "rate_unit": "A",
                    "priority": "1",
                },
            )
            after_own = await client.get(base)
            form_of_two = await client.get(base, params={"evse": 2})

    assert page.status_code == 200 and 'id="wiring-set"' in page.text
    assert f'href="/circuits/{hall}"' in page.text
    assert cell(page.text, "source", 1) == "assumed" and cell(page.text, "lines", 1) == "L1, L2, L3"
    assert default.status_code == 303 and default.headers["location"] == f"{base}?evse=0"
    assert cell(after_default.text, "source", 1) == cell(after_default.text, "source", 2)
    assert cell(after_default.text, "source", 1) == "station default"
    assert cell(after_default.text, "lines", 2) == "L2"
    assert three_on_two.status_code == 422 and 'id="wiring-lines-error"' in three_on_two.text
    assert "three-phase or DC EVSE draws from three lines" in three_on_two.text
    assert broken.status_code == 422
    assert 'id="wiring-voltage_v-error"' in broken.text
    assert 'value="L4"' in broken.text  # the form as sent
    assert own.status_code == 303
    assert cell(after_own.text, "source", 2) == "its own"
    assert cell(after_own.text, "lines", 2) == "L1, L2, L3"
    assert cell(after_own.text, "source", 1) == "station default"
    assert 'value="400"' in form_of_two.text and '<option value="A" selected>' in form_of_two.text


def _form(**extra: Any) -> dict[str, Any]:
    return {"evse_id": "0", **SINGLE_L2, **extra}


async def test_viewers_and_site_confined_operators_read_only(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    async with simulated(tenant) as (station_id, _station):
        await with_evses(tenant, station_id)
        base = f"/stations/{station_id}/wiring"
        async with browser_client(tenant, confined) as client:
            elsewhere = await client.get(base)
        await tenant.api.patch(f"/stations/{station_id}", json={"location_id": site["id"]})
        for user in (viewer, confined):
            async with browser_client(tenant, user) as client:
                page = await client.get(base)
                csrf = hidden(page.text, "csrf_token")
                refused = await client.post(base, data=_form(csrf_token=csrf))
            assert page.status_code == 200 and cell(page.text, "source", 1) == "assumed"
            assert 'id="wiring-set"' not in page.text and refused.status_code == 403
    assert elsewhere.status_code == 404
