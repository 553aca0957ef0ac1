"""Hardware templates are the organization's catalogue: a confined user reads all of them and
plans its own stations from them, lays one out again on its own stations only, and changes the
catalogue nowhere (403, REST and the dashboard alike)."""

from typing import Any

from tests.api.factories import USER_PASSWORD, created
from tests.dashboard.conftest import User, browser_client, hidden
from tests.site_scopes.conftest import Estate
from tests.support.ocpp_client import PASSWORD

LAYOUT = [
    {
        "evse_id": 1,
        "connectors": [
            {
                "connector_id": 1,
                "standard": "IEC_62196_T2",
                "format": "SOCKET",
                "power_type": "AC_3_PHASE",
            }
        ],
    }
]


async def _template(estate: Estate, model: str) -> dict[str, Any]:
    body = {"vendor": "Acme", "model": model, "evses": LAYOUT}
    return await created(estate.admin.api, "/hardware-templates", body)


async def test_a_confined_operator_reads_the_catalogue_and_plans_its_stations_from_it(
    estate: Estate,
) -> None:
    template = await _template(estate, "Wallbox 22")
    api = estate.scoped
    listed = await api.get("/hardware-templates", params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    assert [t["id"] for t in listed.json()["items"]] == [template["id"]]
    read = await api.get(f"/hardware-templates/{template['id']}")
    assert read.status_code == 200 and read.json()["evses"] == template["evses"]

    body = {
        "id": estate.admin.unique("CP"),
        "password": PASSWORD,
        "location_id": estate.mine.child_id,
        "template_id": template["id"],
    }
    station = await created(api, "/stations", body)
    assert [e["evse_id"] for e in station["evses"]] == [1]
    elsewhere = body | {"id": estate.admin.unique("CP"), "location_id": estate.theirs.child_id}
    assert (await api.post("/stations", json=elsewhere)).status_code == 404


async def test_a_confined_operator_changes_no_template(estate: Estate) -> None:
    template = await _template(estate, "Wallbox 11")
    path = f"/hardware-templates/{template['id']}"
    api = estate.scoped
    etag = (await api.get(path)).headers["ETag"]
    whole = {"vendor": "Acme", "model": "Wallbox 11", "name": "Mine", "evses": []}
    answers = {
        "create": await api.post("/hardware-templates", json={"vendor": "B", "model": "C"}),
        "replace": await api.put(path, json=whole, headers={"If-Match": etag}),
        "patch": await api.patch(path, json={"name": "Mine"}),
        "delete": await api.delete(path),
    }
    assert {k: a.status_code for k, a in answers.items()} == dict.fromkeys(answers, 403)
    assert answers["patch"].headers["content-type"] == "application/problem+json"
    assert (await estate.admin.api.get(path)).headers["ETag"] == etag
    # Re-applying stays open to it, on its own stations only (test_isolation.py).
    applied = await api.post(f"{path}/apply", json={"dry_run": True})
    assert applied.status_code == 200, applied.text


async def test_the_dashboard_offers_a_confined_operator_only_the_apply_form(
    estate: Estate,
) -> None:
    template = await _template(estate, "Wallbox 7")
    user = User(estate.email, USER_PASSWORD, estate.user_id)
    async with browser_client(estate.admin, user) as client:
        listing = await client.get("/hardware-templates")
        assert listing.status_code == 200 and "Wallbox 7" in listing.text
        page = await client.get(f"/hardware-templates/{template['id']}")
        assert 'id="template-new"' not in listing.text
        assert 'id="template-apply"' in page.text
        assert 'id="template-edit"' not in page.text
        csrf = hidden(listing.text, "csrf_token")
        made = await client.post(
            "/hardware-templates", data={"csrf_token": csrf, "vendor": "B", "model": "C"}
        )
        changed = await client.post(
            f"/hardware-templates/{template['id']}",
            data={"csrf_token": csrf, "revision": "1", "vendor": "Acme", "model": "X"},
        )
        deleted = await client.post(
            f"/hardware-templates/{template['id']}/delete", data={"csrf_token": csrf}
        )
    assert (made.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert (await estate.admin.api.get(f"/hardware-templates/{template['id']}")).json()[
        "model"
    ] == "Wallbox 7"
