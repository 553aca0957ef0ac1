"""The demand-response events page over HTTP: an operator of the whole organization adds a
curtailment and a V2G window and cancels one with the REST API's rules (a curtailment without its
cap, or an interval that ends before it starts, said beside the field with the form as sent);
viewers and site-confined operators read without forms and get 403; a site-confined user sees its
own circuits' events only; another organization's are not listed."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

EVENT = {
    "kind": "curtailment",
    "starts_at": "2026-12-07T17:00:00.000Z",
    "ends_at": "2026-12-07T19:00:00.000Z",
    "max_power_kw": "8",
}


async def test_an_operator_adds_and_cancels_events_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    hall = (await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 22})).json()
    elsewhere = await other_tenant.api.post("/circuits", json={"name": "Theirs", "max_power_kw": 9})
    await other_tenant.api.post(
        "/demand-response-events",
        json={"circuit_id": elsewhere.json()["id"], **EVENT, "max_power_kw": 3},
    )
    async with browser_client(tenant, operator) as client:
        empty = await client.get("/demand-response-events")
        csrf = hidden(empty.text, "csrf_token")
        curtailed = await client.post(
            "/demand-response-events", data={"csrf_token": csrf, "circuit_id": hall["id"], **EVENT}
        )
        v2g = await client.post(
            "/demand-response-events",
            data={"csrf_token": csrf, "circuit_id": hall["id"], **EVENT, "kind": "v2g"}
            | {"max_power_kw": ""},
        )
        uncapped = await client.post(
            "/demand-response-events",
            data={"csrf_token": csrf, "circuit_id": hall["id"], **EVENT, "max_power_kw": ""},
        )
        backwards = await client.post(
            "/demand-response-events",
            data={"csrf_token": csrf, "circuit_id": hall["id"], **EVENT}
            | {"ends_at": "2026-12-07T16:00"},
        )
        foreign = await client.post(
            "/demand-response-events",
            data={"csrf_token": csrf, "circuit_id": elsewhere.json()["id"], **EVENT},
        )
        listed = await client.get("/demand-response-events")
        events = (await tenant.api.get("/demand-response-events")).json()["items"]
        curtailment = next(e for e in events if e["kind"] == "curtailment")
        cancelled = await client.post(
            f"/demand-response-events/{curtailment['id']}/delete", data={"csrf_token": csrf}
        )

    assert empty.status_code == 200 and 'id="event-new"' in empty.text
    assert curtailed.status_code == 303 and v2g.status_code == 303
    assert (curtailment["max_power_kw"], curtailment["starts_at"]) == (8.0, "2026-12-07T17:00:00Z")
    assert uncapped.status_code == 422 and 'id="new-max_power_kw-error"' in uncapped.text
    assert "a curtailment needs max_power_kw" in uncapped.text
    assert backwards.status_code == 422 and 'id="new-ends_at-error"' in backwards.text
    assert 'data-instant="2026-12-07T16:00Z"' in backwards.text
    assert foreign.status_code == 404 and 'id="new-circuit_id-error"' in foreign.text
    assert listed.text.count('id="event-') == 3  # two rows and the form
    assert "8 kW" in listed.text and "V2G" in listed.text and "Theirs" not in listed.text
    assert cancelled.status_code == 303
    left = (await tenant.api.get("/demand-response-events")).json()["items"]
    assert [e["kind"] for e in left] == ["v2g"]
    assert (await other_tenant.api.get("/demand-response-events")).json()["total"] == 1


async def test_viewers_and_site_confined_users_read_only_their_events(tenant: Tenant) -> None:
    north = (await tenant.api.post("/locations", json={"name": "North"})).json()
    south = (await tenant.api.post("/locations", json={"name": "South"})).json()
    made = {}
    for site, cap in ((north, "4"), (south, "6")):
        body = {"name": f"{site['name']} main", "max_power_kw": 50, "location_id": site["id"]}
        circuit = (await tenant.api.post("/circuits", json=body)).json()["id"]
        event = {"circuit_id": circuit, **EVENT, "max_power_kw": cap}
        made[site["name"]] = (await tenant.api.post("/demand-response-events", json=event)).json()
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [north["id"]]})
    seen = {}
    for name, user in (("viewer", viewer), ("confined", confined)):
        async with browser_client(tenant, user) as client:
            listing = await client.get("/demand-response-events")
            csrf = hidden(listing.text, "csrf_token")
            circuit = made["North"]["circuit_id"]
            added = await client.post(
                "/demand-response-events", data={"csrf_token": csrf, "circuit_id": circuit, **EVENT}
            )
            cancelled = await client.post(
                f"/demand-response-events/{made['North']['id']}/delete", data={"csrf_token": csrf}
            )
        assert listing.status_code == 200 and 'id="event-new"' not in listing.text
        assert (added.status_code, cancelled.status_code) == (403, 403)
        seen[name] = listing.text
    assert "North main" in seen["viewer"] and "South main" in seen["viewer"]
    assert "North main" in seen["confined"] and "South main" not in seen["confined"]
    assert (await tenant.api.get("/demand-response-events")).json()["total"] == 2
