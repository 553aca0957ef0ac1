"""Building the circuit tree from the dashboard over HTTP: creating, re-parenting and deleting
circuits, hanging stations on them and their capacity windows, with the REST API's roles and
rules."""

import re

import httpx

from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_circuits import make_circuit


def made_id(answer: httpx.Response) -> str:
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/circuits/([^/]+)", answer.headers["location"])
    assert found is not None, answer.headers["location"]
    return found.group(1)


async def test_an_operator_builds_a_tree_and_takes_it_down(tenant: Tenant) -> None:
    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/circuits")
        csrf = hidden(listing.text, "csrf_token")
        assert 'id="new-circuit"' in listing.text
        site = made_id(
            await client.post(
                "/circuits",
                data={"csrf_token": csrf, "name": "Depot", "parent_id": "", "max_power_kw": "50"},
            )
        )
        hall = made_id(
            await client.post(
                "/circuits",
                data={"csrf_token": csrf, "name": "Hall", "parent_id": site, "max_current_a": "32"},
            )
        )
        nameless = await client.post("/circuits", data={"csrf_token": csrf, "name": ""})
        unknown_parent = await client.post(
            "/circuits", data={"csrf_token": csrf, "name": "X", "parent_id": "nope"}
        )
        hung = await client.post(
            f"/circuits/{hall}/stations", data={"csrf_token": csrf, "station_id": station_id}
        )
        page = await client.get(f"/circuits/{hall}")
        not_empty = await client.post(f"/circuits/{site}/delete", data={"csrf_token": csrf})
        window = await client.post(
            f"/circuits/{hall}/windows",
            data={
                "csrf_token": csrf,
                "starts_at": "2099-01-01T08:00",  # without the script: read as UTC
                "ends_at": "2099-01-01T10:00:00+01:00",
                "max_power_kw": "7",
            },
        )
        backwards = await client.post(
            f"/circuits/{hall}/windows",
            data={
                "csrf_token": csrf,
                "starts_at": "2099-01-02T08:00",
                "ends_at": "2099-01-01T08:00",
                "max_power_kw": "7",
            },
        )
        no_limit = await client.post(
            f"/circuits/{hall}/windows",
            data={
                "csrf_token": csrf,
                "starts_at": "2099-01-01T08:00",
                "ends_at": "2099-01-01T09:00",
            },
        )
        with_window = await client.get(f"/circuits/{hall}")
    assert nameless.status_code == 422 and unknown_parent.status_code == 422
    # A refused circuit comes back on the list as sent, each refusal beside its field.
    assert 'id="new-name-error"' in nameless.text and 'id="new-circuit"' in nameless.text
    assert 'id="new-parent_id-error"' in unknown_parent.text and 'value="X"' in unknown_parent.text
    assert hung.status_code == 303
    assert f'href="/stations/{station_id}"' in page.text and "Take off" in page.text
    assert not_empty.status_code == 409 and "has sub-circuits" in not_empty.text
    assert 'id="refusal"' in not_empty.text and 'role="alert"' in not_empty.text
    assert window.status_code == 303
    assert backwards.status_code == 422 and no_limit.status_code == 422
    windows = (await tenant.api.get(f"/circuits/{hall}/capacity-windows")).json()
    assert [(w["starts_at"][:19], w["ends_at"][:19], w["max_power_kw"]) for w in windows] == [
        ("2099-01-01T08:00:00", "2099-01-01T09:00:00", 7.0)
    ]
    assert "Remove the window" in with_window.text
    window_id = windows[0]["id"]
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/circuits")).text, "csrf_token")
        removed = await client.post(
            f"/circuits/{hall}/windows/{window_id}/remove", data={"csrf_token": csrf}
        )
        again = await client.post(
            f"/circuits/{hall}/windows/{window_id}/remove", data={"csrf_token": csrf}
        )
        off = await client.post(
            f"/circuits/{hall}/stations/{station_id}/remove", data={"csrf_token": csrf}
        )
        off_again = await client.post(
            f"/circuits/{hall}/stations/{station_id}/remove", data={"csrf_token": csrf}
        )
        page = await client.get(f"/circuits/{hall}")
        moved = await client.post(
            f"/circuits/{hall}",
            data={"csrf_token": csrf, "revision": hidden(page.text, "revision"), "parent_id": ""},
        )
        site_below_hall = await client.post(
            f"/circuits/{site}",
            data={
                "csrf_token": csrf,
                "revision": hidden((await client.get(f"/circuits/{site}")).text, "revision"),
                "parent_id": hall,
            },
        )
        parent_first = await client.post(f"/circuits/{hall}/delete", data={"csrf_token": csrf})
        after_move = (await tenant.api.get(f"/circuits/{site}")).json()
        deleted = [
            await client.post(f"/circuits/{site}/delete", data={"csrf_token": csrf}),
            await client.post(f"/circuits/{hall}/delete", data={"csrf_token": csrf}),
        ]
    assert removed.status_code == 303 and again.status_code == 404
    assert off.status_code == 303 and off_again.status_code == 422
    assert (await tenant.api.get(f"/stations/{station_id}")).json()["circuit_id"] is None
    assert moved.status_code == 303 and site_below_hall.status_code == 303
    # The site now hangs below the hall, which therefore may not go first.
    assert after_move["parent_id"] == hall and parent_first.status_code == 409
    assert 'id="refusal"' in parent_first.text and "has sub-circuits" in parent_first.text
    assert [answer.status_code for answer in deleted] == [303, 303]
    assert (await tenant.api.get(f"/circuits/{hall}")).status_code == 404


async def test_a_viewer_may_not_and_another_organization_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await make_circuit(tenant, max_power_kw=10)
    foreign = await make_circuit(other_tenant, max_power_kw=10)
    foreign_station = await register(other_tenant)
    viewer = await make_user(tenant, "viewer")
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/circuits")
        page = await client.get(f"/circuits/{mine}")
        csrf = hidden(listing.text, "csrf_token")
        refused = [
            await client.post("/circuits", data={"csrf_token": csrf, "name": "Mine"}),
            await client.post(f"/circuits/{mine}/delete", data={"csrf_token": csrf}),
            await client.post(
                f"/circuits/{mine}/windows",
                data={
                    "csrf_token": csrf,
                    "starts_at": "2099-01-01T08:00",
                    "ends_at": "2099-01-01T09:00",
                    "max_power_kw": "1",
                },
            ),
        ]
    assert 'id="new-circuit"' not in listing.text
    for form in ('id="add-window"', 'id="add-station"', 'id="delete-circuit"'):
        assert form not in page.text
    assert [answer.status_code for answer in refused] == [403, 403, 403]
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/circuits")).text, "csrf_token")
        foreign_delete = await client.post(f"/circuits/{foreign}/delete", data={"csrf_token": csrf})
        foreign_parent = await client.post(
            "/circuits", data={"csrf_token": csrf, "name": "Y", "parent_id": foreign}
        )
        foreign_hang = await client.post(
            f"/circuits/{mine}/stations", data={"csrf_token": csrf, "station_id": foreign_station}
        )
        no_csrf = await client.post(f"/circuits/{mine}/delete", data={})
    assert foreign_delete.status_code == 404 and foreign_parent.status_code == 422
    assert foreign_hang.status_code == 404 and no_csrf.status_code == 403
    assert (await tenant.api.get(f"/circuits/{mine}")).status_code == 200
