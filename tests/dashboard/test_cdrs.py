"""A session's cost and its CDR on the dashboard: a real 1.6 session at a priced station (0.30
EUR/kWh and a 1.00 EUR flat fee, 20 % tax, 10 kWh: 4.00 EUR excluding tax, 4.80 including it),
read by a viewer on the sessions, session and CDR pages, credited by an operator through the
REST API's rules, and hidden from another organization and from a user of another site."""

from typing import Any

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, confined_viewer, hidden, make_user
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, run_session


async def priced_session(tenant: Tenant) -> tuple[int, dict[str, Any], str, str]:
    """A finished, priced session charged to a driver: its id, CDR, driver and tariff."""
    tariff_id = await create_tariff(tenant, name="Public AC")
    stations = Stations(tenant)
    station_id = await priced_station(tenant, stations, tariff_id)
    tag = await add_tag(tenant)
    made = await tenant.api.post(
        "/drivers",
        json={"name": "Ada", "email": f"{tenant.unique('ada')}@example.com", "id_tags": [tag]},
    )
    assert made.status_code == 201, made.text
    tx_id = await run_session(stations, station_id, tag)
    [cdr] = (await tenant.api.get("/cdrs", params={"transaction_id": tx_id})).json()["items"]
    return tx_id, cdr, made.json()["id"], tariff_id


async def test_a_viewer_reads_a_session_s_cost_and_its_cdr(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    tx_id, cdr, driver_id, tariff_id = await priced_session(tenant)
    viewer = await make_user(tenant, "viewer")
    confined = await confined_viewer(tenant)
    outsider = await make_user(other_tenant, "admin")
    async with browser_client(tenant, viewer) as client:
        sessions = await client.get("/sessions")
        session = await client.get(f"/sessions/{tx_id}")
        listing = await client.get("/cdrs")
        by_station = await client.get("/cdrs", params={"station": cdr["station_id"]})
        credits = await client.get("/cdrs", params={"kind": "credits"})
        of_driver = await client.get("/cdrs", params={"driver": driver_id})
        page = await client.get(f"/cdrs/{cdr['id']}")
        driver = await client.get(f"/drivers/{driver_id}")
        refused = await client.post(
            f"/cdrs/{cdr['id']}/credit", data={"csrf_token": hidden(page.text, "csrf_token")}
        )
    async with browser_client(tenant, confined) as client:
        confined_list = await client.get("/cdrs")
        confined_page = await client.get(f"/cdrs/{cdr['id']}")
    async with browser_client(other_tenant, outsider) as client:
        foreign_list = await client.get("/cdrs")
        foreign_page = await client.get(f"/cdrs/{cdr['id']}")
    assert "4.80 EUR" in sessions.text and 'href="/cdrs"' in sessions.text
    cost = session.text.split('id="session-cost">')[1].split("</dd>")[0]
    assert "4.80 EUR" in cost and "4.00 EUR" in cost and "so far" not in cost
    assert f'href="/tariffs/{tariff_id}">Public AC</a>' in session.text
    assert f'href="/cdrs/{cdr["id"]}" id="session-cdr">4.80 EUR' in session.text
    assert "1 CDR," in listing.text and f"session {tx_id}" in listing.text
    assert "10.000000 kWh" in listing.text
    assert "1 CDR," in by_station.text and "0 CDRs" in credits.text
    assert "1 CDR of one driver" in of_driver.text
    assert f'href="/cdrs?driver={driver_id}"' in driver.text
    totals = page.text.split('id="cdr-totals"')[1].split("</table>")[0]
    assert "10.000000 kWh" in totals and "3.00 EUR" in totals and "3.60 EUR" in totals
    assert "1.20 EUR" in totals and "0.166667 h" in totals
    assert ">Public AC</a>" in page.text and f'href="/drivers/{driver_id}">Ada</a>' in page.text
    assert 'id="cdr-credit"' not in page.text and refused.status_code == 403
    assert "0 CDRs" in confined_list.text and confined_page.status_code == 404
    assert "0 CDRs" in foreign_list.text and foreign_page.status_code == 404


async def test_an_operator_credits_a_cdr_and_the_driver_is_refunded(tenant: Tenant) -> None:
    tx_id, cdr, driver_id, _ = await priced_session(tenant)
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/cdrs/{cdr['id']}")
        csrf = hidden(page.text, "csrf_token")
        credited = await client.post(
            f"/cdrs/{cdr['id']}/credit", data={"csrf_token": csrf, "remark": "broken cable"}
        )
        credit_page = await client.get(credited.headers["location"])
        again = await client.post(f"/cdrs/{cdr['id']}/credit", data={"csrf_token": csrf})
        credit_id = credited.headers["location"].rsplit("/", 1)[1]
        of_credit = await client.post(f"/cdrs/{credit_id}/credit", data={"csrf_token": csrf})
        no_csrf = await client.post(f"/cdrs/{cdr['id']}/credit", data={})
        original = await client.get(f"/cdrs/{cdr['id']}")
        session = await client.get(f"/sessions/{tx_id}")
    assert 'id="cdr-credit"' in page.text
    assert credited.status_code == 303 and credited.headers["location"].startswith("/cdrs/")
    assert "Credit CDR" in credit_page.text and "-4.80 EUR" in credit_page.text
    assert "broken cable" in credit_page.text and 'id="cdr-credit"' not in credit_page.text
    assert again.status_code == 409 and "credited already" in again.text
    assert of_credit.status_code == 409 and no_csrf.status_code == 403
    assert f'href="/cdrs/{credit_id}">a credit CDR</a>' in original.text
    assert 'id="cdr-credit"' not in original.text
    assert "<small>credited</small>" in session.text
    credit = (await tenant.api.get(f"/cdrs/{credit_id}")).json()
    assert (credit["credit_reference_id"], credit["total_incl_tax"]) == (cdr["id"], "-4.80")
    assert credit["document"]["remark"] == "broken cable"
    assert (await tenant.api.get(f"/drivers/{driver_id}")).json()["balance"] == "0.00"
