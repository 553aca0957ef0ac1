"""The tariff groups pages: groups listed and shown as `/api/v1/tariff-groups` has them, and
created, changed and deleted by operators through the REST API's rules."""

from typing import Any
from urllib.parse import urlencode

from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

FORM = {"content-type": "application/x-www-form-urlencoded"}
"""For a form whose checkboxes send one name several times (the body given as pairs)."""


async def new_tariff(tenant: Tenant, name: str) -> str:
    made = await tenant.api.post(
        "/tariffs",
        json={
            "name": name,
            "currency": "EUR",
            "elements": [{"price_components": [{"type": "ENERGY", "price": "0.30"}]}],
        },
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def new(tenant: Tenant, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await tenant.api.post(path, json=body)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_viewers_read_groups_and_may_not_change_them(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    fleet_tariff = await new_tariff(tenant, "Fleet rate")
    staff_tariff = await new_tariff(tenant, "Staff rate")
    tag = tenant.unique("TAG")
    await new(tenant, "/id-tags", {"value": tag})
    driver = await new(tenant, "/drivers", {"name": "Grace", "email": "grace@example.com"})
    depot = await new(tenant, "/locations", {"name": "Depot"})
    station_id = await register(tenant)
    fleet = await new(
        tenant,
        "/tariff-groups",
        {
            "name": "Fleet",
            "description": "company cars",
            "tariff_id": fleet_tariff,
            "id_tags": [tag],
            "driver_ids": [driver["id"]],
            "places": [
                {"kind": "station", "id": station_id},
                {"kind": "location", "id": depot["id"]},
            ],
        },
    )
    await new(
        tenant,
        "/tariff-groups",
        {"name": "Staff", "tariff_id": staff_tariff, "places": [{"kind": "organization"}]},
    )
    foreign = await new(
        other_tenant,
        "/tariff-groups",
        {"name": "Theirs", "tariff_id": await new_tariff(other_tenant, "T")},
    )
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/tariff-groups")
        searched = await client.get("/tariff-groups", params={"q": "fLe"})
        by_tariff = await client.get("/tariff-groups", params={"tariff": staff_tariff})
        page = await client.get(f"/tariff-groups/{fleet['id']}")
        not_ours = await client.get(f"/tariff-groups/{foreign['id']}")
        csrf = hidden(listing.text, "csrf_token")
        refused = [
            await client.post(path, data={"csrf_token": csrf} | data)
            for path, data in (
                ("/tariff-groups", {"name": "V", "tariff_id": fleet_tariff}),
                (f"/tariff-groups/{fleet['id']}", {"name": "V", "revision": "1"}),
                (f"/tariff-groups/{fleet['id']}/delete", {}),
            )
        ]
    assert listing.status_code == 200 and "2 groups" in listing.text
    assert "Theirs" not in listing.text and not_ours.status_code == 404
    assert "1 ID tag, 1 driver" in listing.text and "whole organization" in listing.text
    assert f'href="/stations/{station_id}"' in listing.text
    assert "Depot <small>(and below)</small>" in listing.text
    assert "1 group," in searched.text and "Fleet" in searched.text
    assert "1 group," in by_tariff.text and "Staff" in by_tariff.text
    assert page.status_code == 200 and "company cars" in page.text
    assert ">Fleet rate</a>" in page.text and tag in page.text
    assert f'<a href="/drivers/{driver["id"]}">Grace</a>' in page.text
    assert 'id="group-new"' not in listing.text and 'id="group-edit"' not in page.text
    assert [r.status_code for r in refused] == [403] * 3
    assert (await tenant.api.get(f"/tariff-groups/{fleet['id']}")).json()["name"] == "Fleet"


async def test_an_operator_creates_changes_and_deletes_a_group_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    tariff_id = await new_tariff(tenant, "Members")
    other_tariff = await new_tariff(tenant, "Partners")
    foreign_tariff = await new_tariff(other_tenant, "Foreign")
    foreign_station = await register(other_tenant)
    tags = [tenant.unique("A"), tenant.unique("B")]
    for tag in tags:
        await new(tenant, "/id-tags", {"value": tag})
    driver = await new(tenant, "/drivers", {"name": "Ada", "email": "ada@example.com"})
    north = await new(tenant, "/locations", {"name": "North"})
    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    form = {
        "name": "Members",
        "description": "club members",
        "tariff_id": tariff_id,
        "id_tags": f"{tags[0]}, {tags[1]}",
        "driver_ids": driver["id"],
        "station_ids": station_id,
        "everywhere": "",
    }
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/tariff-groups")
        csrf = hidden(listing.text, "csrf_token")
        sent = [("csrf_token", csrf), *form.items(), ("location_ids", north["id"])]
        made = await client.post("/tariff-groups", content=urlencode(sent), headers=FORM)
        taken = await client.post("/tariff-groups", content=urlencode(sent), headers=FORM)
        refusals = {
            name: await client.post(
                "/tariff-groups", data={"csrf_token": csrf} | form | {"name": "X"} | change
            )
            for name, change in {
                "unknown tag": {"id_tags": "NOPE"},
                "unknown driver": {"driver_ids": "nope"},
                "foreign station": {"station_ids": foreign_station},
                "foreign tariff": {"tariff_id": foreign_tariff},
                "no name": {"name": ""},
            }.items()
        }
        group_id = made.headers["location"].rsplit("/", 1)[-1]
        page = await client.get(f"/tariff-groups/{group_id}")
        edit = {
            "csrf_token": csrf,
            "revision": "1",
            "name": "Members+",
            "description": "",
            "tariff_id": other_tariff,
            "id_tags": tags[1],
            "driver_ids": "",
            "station_ids": "",
            "everywhere": "1",
        }
        changed = await client.post(f"/tariff-groups/{group_id}", data=edit)
        stale = await client.post(f"/tariff-groups/{group_id}", data=edit)
        changed_page = await client.get(f"/tariff-groups/{group_id}")
        stored = (await tenant.api.get(f"/tariff-groups/{group_id}")).json()
        foreign_group = await new(
            other_tenant, "/tariff-groups", {"name": "F", "tariff_id": foreign_tariff}
        )
        not_ours = await client.post(
            f"/tariff-groups/{foreign_group['id']}/delete", data={"csrf_token": csrf}
        )
        deleted = await client.post(f"/tariff-groups/{group_id}/delete", data={"csrf_token": csrf})
        again = await client.post(f"/tariff-groups/{group_id}/delete", data={"csrf_token": csrf})
    assert 'id="group-new"' in listing.text
    assert made.status_code == 303 and made.headers["location"].startswith("/tariff-groups/")
    assert taken.status_code == 409 and "exists already" in taken.text
    assert {name: r.status_code for name, r in refusals.items()} == dict.fromkeys(refusals, 422)
    # each refusal comes back as the form as sent, the problem beside its field
    assert 'id="new-name-error"' in taken.text and 'id="new-errors"' in taken.text
    assert f'value="{north["id"]}" checked' in taken.text and "club members" in taken.text
    beside = {
        "unknown tag": "new-id_tags-error",
        "unknown driver": "new-driver_ids-error",
        "foreign station": "new-places-error",
        "foreign tariff": "new-tariff_id-error",
        "no name": "new-name-error",
    }
    for name, error_id in beside.items():
        assert f'id="{error_id}"' in refusals[name].text, name
    assert "NOPE</textarea>" in refusals["unknown tag"].text
    assert "club members" in page.text and f'value="{north["id"]}" checked' in page.text
    assert changed.status_code == 303 and stale.status_code == 412
    assert 'id="edit-errors"' in stale.text and "changed since this page" in stale.text
    assert 'name="revision" value="1"' in stale.text and 'value="Members+"' in stale.text
    assert "Members+" in changed_page.text and ">Partners</a>" in changed_page.text
    assert "club members" not in changed_page.text and tags[0] not in changed_page.text
    assert (stored["name"], stored["description"], stored["tariff_id"]) == (
        "Members+",
        None,
        other_tariff,
    )
    assert (stored["id_tags"], stored["driver_ids"]) == ([tags[1]], [])
    assert stored["places"] == [{"kind": "organization", "id": None}]
    assert not_ours.status_code == 404
    assert deleted.status_code == 303 and again.status_code == 404
    assert (await tenant.api.get(f"/tariff-groups/{group_id}")).status_code == 404


async def test_a_refused_edit_and_delete_come_back_on_the_group_page(tenant: Tenant) -> None:
    tariff_id = await new_tariff(tenant, "Members")
    group = await new(tenant, "/tariff-groups", {"name": "Club", "tariff_id": tariff_id})
    await new(tenant, "/tariff-groups", {"name": "Taken", "tariff_id": tariff_id})
    plan = {"name": "Club plan", "fee": "5.00", "currency": "EUR", "tariff_group_id": group["id"]}
    await new(tenant, "/subscription-plans", plan)
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/tariff-groups/{group['id']}")
        csrf = hidden(page.text, "csrf_token")
        edit = {"csrf_token": csrf, "revision": "1", "tariff_id": tariff_id, "id_tags": "X1"}
        taken = await client.post(f"/tariff-groups/{group['id']}", data=edit | {"name": "Taken"})
        kept = await client.post(f"/tariff-groups/{group['id']}/delete", data={"csrf_token": csrf})
    assert taken.status_code == 409 and 'id="edit-name-error"' in taken.text
    assert 'value="Taken"' in taken.text and "X1</textarea>" in taken.text
    assert kept.status_code == 409 and 'id="refusal"' in kept.text
    assert (
        "subscription plan prices its subscribers" in kept.text and 'id="group-edit"' in kept.text
    )
    assert (await tenant.api.get(f"/tariff-groups/{group['id']}")).json()["name"] == "Club"
