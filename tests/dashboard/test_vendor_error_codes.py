"""The vendor error codes pages over HTTP: an operator adds, changes and deletes entries with the
REST API's rules (a duplicate 409, a broken or emptied field 422 beside its field, a stale form
412), searches them on the server and asks what a code means on a booted station; a viewer reads
without forms and gets 403; another organization's entry is 404; a site-confined operator keeps
the organization's table as the REST API lets it."""

from tests.commands.conftest import Online, online
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

__all__ = ["online"]

E17 = {
    "vendor": "Acme",
    "model": "",
    "firmware_version": "",
    "code": "E-17",
    "title": "Residual current detected",
    "severity": "High",
    "description": "The RCD tripped during charging.",
    "action": "",
}


async def test_an_operator_keeps_the_table_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    theirs = await other_tenant.api.post(
        "/vendor-error-codes", json={"vendor": "Acme", "code": "X-1", "title": "Theirs"}
    )
    async with browser_client(tenant, operator) as client:
        page = await client.get("/vendor-error-codes")
        csrf = hidden(page.text, "csrf_token")
        made = await client.post("/vendor-error-codes", data={"csrf_token": csrf, **E17})
        code_path = made.headers["location"]
        twice = await client.post("/vendor-error-codes", data={"csrf_token": csrf, **E17})
        broken = await client.post(
            "/vendor-error-codes",
            data={"csrf_token": csrf, **E17, "code": "", "severity": "Dire", "model": "M" * 51},
        )
        model_specific = await client.post(
            "/vendor-error-codes",
            data={"csrf_token": csrf, **E17, "model": "Wallbox 22", "title": "RCD tripped"},
        )
        shown = await client.get(code_path)
        revision = hidden(shown.text, "revision")
        changed = await client.post(
            code_path,
            data={
                "csrf_token": csrf,
                "revision": revision,
                **E17,
                "severity": "Low",
                "description": "",
            },
        )
        stale = await client.post(code_path, data={"csrf_token": csrf, "revision": revision, **E17})
        emptied = await client.post(
            code_path,
            data={"csrf_token": csrf, "revision": str(int(revision) + 1), **E17, "title": ""},
        )
        searched = await client.get("/vendor-error-codes", params={"model": "Wallbox 22"})
        foreign = await client.get(f"/vendor-error-codes/{theirs.json()['id']}")
        foreign_delete = await client.post(
            f"/vendor-error-codes/{theirs.json()['id']}/delete", data={"csrf_token": csrf}
        )
        deleted = await client.post(f"{code_path}/delete", data={"csrf_token": csrf})
    entries = (await tenant.api.get("/vendor-error-codes")).json()["items"]

    assert page.status_code == 200 and 'id="code-new"' in page.text
    assert made.status_code == 303 and code_path.startswith("/vendor-error-codes/")
    assert twice.status_code == 409 and "exists" in twice.text
    assert 'value="Residual current detected"' in twice.text  # the form as sent
    assert broken.status_code == 422
    for field in ("code", "severity", "model"):
        assert f'id="new-{field}-error"' in broken.text, field
    assert model_specific.status_code == 303
    assert changed.status_code == 303
    assert stale.status_code == 412 and "changed since this page was loaded" in stale.text
    assert emptied.status_code == 422 and 'id="edit-title-error"' in emptied.text
    assert "1 entry," in searched.text and "Residual current detected" not in searched.text
    assert foreign.status_code == 404 and foreign_delete.status_code == 404
    assert deleted.status_code == 303
    assert [(e["model"], e["title"]) for e in entries] == [("Wallbox 22", "RCD tripped")]
    assert (await other_tenant.api.get("/vendor-error-codes")).json()["total"] == 1


async def test_what_a_code_means_on_a_station_and_who_may_change_it(
    tenant: Tenant, online: Online
) -> None:
    for model, title in (("", "Residual current"), ("wallbox 22", "RCD tripped")):
        made = await tenant.api.post(
            "/vendor-error-codes",
            json={"vendor": "Acme", "model": model or None, "code": "E-17", "title": title},
        )
        assert made.status_code == 201, made.text
    entry = made.json()["id"]
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "operator")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    async with online() as (station_id, _), browser_client(tenant, viewer) as client:
        meaning = await client.get(
            "/vendor-error-codes", params={"station": station_id, "reported": "E-17"}
        )
        unknown_code = await client.get(
            "/vendor-error-codes", params={"station": station_id, "reported": "E-99"}
        )
        unknown_station = await client.get(
            "/vendor-error-codes", params={"station": "NOPE", "reported": "E-17"}
        )
        page = await client.get(f"/vendor-error-codes/{entry}")
        refused = await client.post(
            f"/vendor-error-codes/{entry}/delete",
            data={"csrf_token": hidden(page.text, "csrf_token")},
        )
    async with browser_client(tenant, confined) as client:
        listing = await client.get("/vendor-error-codes")
        added = await client.post(
            "/vendor-error-codes",
            data={"csrf_token": hidden(listing.text, "csrf_token"), **E17, "code": "E-02"},
        )

    assert meaning.status_code == 200
    assert 'id="meaning-found"' in meaning.text and "RCD tripped" in meaning.text
    assert "no translation of &#39;E-99&#39;" in unknown_code.text
    assert unknown_station.status_code == 200 and "does not exist" in unknown_station.text
    assert page.status_code == 200 and 'id="code-edit"' not in page.text
    assert refused.status_code == 403
    # The table is the organization's: a site-confined operator changes it, as in REST.
    assert 'id="code-new"' in listing.text and added.status_code == 303
    assert (await tenant.api.get("/vendor-error-codes")).json()["total"] == 3
