"""The hardware templates pages: templates and their layout as `/api/v1/hardware-templates` has
them, created, changed and deleted by operators through the REST API's rules, and laid out again
on stations: a preview (the REST `dry_run`) that changes nothing, then the change."""

from collections.abc import Sequence
from typing import Any

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.hardware_templates.test_reapply import AFTER, CHANGED, TWIN
from tests.hardware_templates.test_templates_api import TWIN_AC, layout
from tests.support.ocpp_client import PASSWORD


def layout_fields(evses: Sequence[dict[str, Any]]) -> dict[str, str]:
    """A layout as the form's fields, one per value (`evses.0.connectors.0.standard`)."""
    fields = {}
    for i, evse in enumerate(evses):
        fields |= {f"evses.{i}.{k}": str(v) for k, v in evse.items() if k != "connectors"}
        for j, connector in enumerate(evse.get("connectors", [])):
            fields |= {f"evses.{i}.connectors.{j}.{k}": str(v) for k, v in connector.items()}
    return fields


async def station_from(tenant: Tenant, template_id: str) -> str:
    station_id = tenant.unique("CP")
    body = {"id": station_id, "password": PASSWORD, "template_id": template_id}
    made = await tenant.api.post("/stations", json=body)
    assert made.status_code == 201, made.text
    return station_id


async def station_layout(
    tenant: Tenant, station_id: str
) -> list[tuple[int, int, str | None, int | None]]:
    return layout((await tenant.api.get(f"/stations/{station_id}")).json())


async def test_viewers_read_templates_and_may_not_change_or_apply(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    body = {"vendor": "Acme", "model": "Twin", "name": "Twin 22", "evses": TWIN_AC}
    made = await tenant.api.post("/hardware-templates", json=body)
    assert made.status_code == 201, made.text
    foreign = await other_tenant.api.post(
        "/hardware-templates", json={"vendor": "Other", "model": "Theirs"}
    )
    template_id = made.json()["id"]
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/hardware-templates")
        page = await client.get(f"/hardware-templates/{template_id}")
        theirs = await client.get(f"/hardware-templates/{foreign.json()['id']}")
        csrf = hidden(listing.text, "csrf_token")
        create = await client.post(
            "/hardware-templates", data={"csrf_token": csrf, "vendor": "V", "model": "M"}
        )
        apply = await client.post(
            f"/hardware-templates/{template_id}/apply", data={"csrf_token": csrf, "dry_run": "1"}
        )
        delete = await client.post(
            f"/hardware-templates/{template_id}/delete", data={"csrf_token": csrf}
        )
    assert listing.status_code == 200 and "Twin 22" in listing.text and "Theirs" not in listing.text
    assert page.status_code == 200 and "IEC_62196_T2" in page.text and theirs.status_code == 404
    assert 'id="template-new"' not in listing.text and "Preview</button>" not in page.text
    assert (create.status_code, apply.status_code, delete.status_code) == (403, 403, 403)


async def test_an_operator_manages_a_template_and_previews_before_applying(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/hardware-templates")).text, "csrf_token")
        new = {"csrf_token": csrf, "vendor": "Acme", "model": "Wallbox 22", "name": "Twin"}
        repeated = await client.post(
            "/hardware-templates",
            data=new | layout_fields([{"evse_id": 1}, {"evse_id": 1}]),
        )
        broken = await client.post(
            "/hardware-templates", data=new | layout_fields([{"evse_id": "one"}])
        )
        made = await client.post("/hardware-templates", data=new | layout_fields(TWIN_AC))
        taken = await client.post("/hardware-templates", data=new | {"model": "WALLBOX 22"})
        template_url = made.headers["location"]
        template_id = template_url.rsplit("/", 1)[1]
        station_id = await station_from(tenant, template_id)
        revision = hidden((await client.get(template_url)).text, "revision")
        edit = {"csrf_token": csrf, "vendor": "Acme", "model": "Wallbox 22", "name": ""}
        changed = await client.post(
            template_url, data=edit | {"revision": revision} | layout_fields(CHANGED)
        )
        stale = await client.post(template_url, data=edit | {"revision": revision})
        unknown_station = await client.post(
            f"{template_url}/apply",
            data={"csrf_token": csrf, "station_ids": "NOPE", "dry_run": "1"},
        )
        preview = await client.post(
            f"{template_url}/apply",
            data={"csrf_token": csrf, "station_ids": station_id, "dry_run": "1"},
        )
        laid_out_before = await station_layout(tenant, station_id)
        applied = await client.post(
            f"{template_url}/apply",
            data={"csrf_token": csrf, "station_ids": f"{station_id},", "dry_run": "0"},
        )
        again = await client.post(
            f"{template_url}/apply",
            data={"csrf_token": csrf, "station_ids": station_id, "dry_run": "1"},
        )
        laid_out_after = await station_layout(tenant, station_id)
        deleted = await client.post(f"{template_url}/delete", data={"csrf_token": csrf})
    assert repeated.status_code == 422 and "EVSE ids repeat" in repeated.text
    assert broken.status_code == 422 and 'aria-invalid="true"' in broken.text
    assert 'id="template-evses-0-evse_id-error"' in broken.text and 'value="one"' in broken.text
    assert made.status_code == 303 and taken.status_code == 409
    assert changed.status_code == 303 and stale.status_code == 412
    assert unknown_station.status_code in (404, 422)
    assert preview.status_code == 200 and "Preview: what applying would change" in preview.text
    assert "would change" in preview.text and "EVSE 2 removed" in preview.text
    assert laid_out_before == TWIN
    assert applied.status_code == 200 and "Laid out again" in applied.text
    assert "nothing to change" in again.text
    assert laid_out_after == AFTER
    assert deleted.status_code == 303
    assert (await tenant.api.get(f"/hardware-templates/{template_id}")).status_code == 404


async def test_row_buttons_add_and_remove_rows_keeping_what_was_typed(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/hardware-templates")).text, "csrf_token")
        typed = {"csrf_token": csrf, "vendor": "Acme", "model": "Typed"} | layout_fields(TWIN_AC)
        evse_added = await client.post(
            "/hardware-templates", data=typed | {"layout_action": "add-evse"}
        )
        connector_added = await client.post(
            "/hardware-templates", data=typed | {"layout_action": "add-connector:1"}
        )
        removed = await client.post(
            "/hardware-templates", data=typed | {"layout_action": "remove-evse:0"}
        )
        nothing = await client.post(
            "/hardware-templates", data=typed | {"layout_action": "remove-evse:-1"}
        )
    assert evse_added.status_code == 200 and 'value="Typed"' in evse_added.text
    # The new EVSE is numbered after the highest and copies the last one's connectors.
    assert 'name="evses.2.evse_id" value="3"' in evse_added.text
    assert 'name="evses.2.connectors.0.max_amperage" value="32"' in evse_added.text
    assert 'id="template-evses-2-evse_id" name="evses.2.evse_id" value="3"' in evse_added.text
    assert "autofocus" in evse_added.text
    assert 'name="evses.1.connectors.1.connector_id" value="2"' in connector_added.text
    assert 'name="evses.0.evse_id" value="2"' in removed.text and "evses.1." not in removed.text
    assert nothing.status_code == 200 and 'name="evses.1.evse_id" value="2"' in nothing.text
    assert (await tenant.api.get("/hardware-templates")).json()["items"] == []


async def test_refusals_are_said_beside_their_fields_and_odd_input_is_no_500(
    tenant: Tenant,
) -> None:
    made = await tenant.api.post(
        "/hardware-templates", json={"vendor": "Acme", "model": "Taken", "evses": TWIN_AC}
    )
    template_url = f"/hardware-templates/{made.json()['id']}"
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        csrf = hidden((await client.get("/hardware-templates")).text, "csrf_token")
        base = {"csrf_token": csrf, "vendor": "Acme", "model": "Odd"}
        too_high = await client.post(
            "/hardware-templates",
            data=base | layout_fields(TWIN_AC) | {"evses.1.connectors.0.max_voltage": "5000"},
        )
        taken = await client.post(
            "/hardware-templates", data=base | {"model": "TAKEN"} | layout_fields(TWIN_AC)
        )
        odd_forms = [
            {"evses.0.connectors.0.standard": "Type 9"},
            {"evses.0.connectors.0.power_type": "AC_7_PHASE", "evses.0.evse_id": "0"},
            {"evses.0.evse_id": "99999999999999999999999"},
            {"evses.0.evse_id": "1", "evses.0.connectors.0.connector_id": "1e400"},
            {"evses.0.evse_id": "NaN", "evses.0.physical_reference": "x" * 40},
            {"evses.0.evse_id": "1", "evses.0.connectors.0.connector_id": "1"}
            | {"evses.0.connectors.1.connector_id": "1"},
            {"evses.0.evse_id": "1", "evses.0.connectors.0.max_amperage": "-3"},
            {"evses.999.evse_id": "\x00", "layout_action": "remove-connector:999:999"},
            {"layout_action": "add-connector:0:0:0"},
            {"layout_action": "explode"},
        ]
        odd = [await client.post("/hardware-templates", data=base | f) for f in odd_forms]
        # Names that are no layout field are ignored: a template without EVSEs.
        ignored = {"evses.x.evse_id": "1", "evses.0.connectors.y.standard": "", "evses..": "?"}
        unnamed = await client.post("/hardware-templates", data=base | {"model": "Bare"} | ignored)
        revision = hidden((await client.get(template_url)).text, "revision")
        edit = {"csrf_token": csrf, "vendor": "Acme", "model": "Taken", "revision": revision}
        wrong_edit = await client.post(
            template_url,
            data=edit | layout_fields(TWIN_AC) | {"evses.0.connectors.0.format": "PIGTAIL"},
        )
        stale = await client.post(
            template_url, data=edit | {"revision": "0"} | layout_fields(TWIN_AC)
        )
    assert too_high.status_code == 422 and 'value="Odd"' in too_high.text
    assert 'id="template-evses-1-connectors-0-max_voltage-error"' in too_high.text
    assert "EVSE row 2, connector row 1, Max voltage (V): " in too_high.text
    assert 'name="evses.1.connectors.0.max_voltage" value="5000"' in too_high.text
    assert taken.status_code == 409 and 'role="alert"' in taken.text
    assert [r.status_code for r in odd] == [422] * 7 + [200] * 3
    assert all('id="template-new"' in r.text for r in odd) and unnamed.status_code == 303
    assert wrong_edit.status_code == 422 and 'id="edit-evses-0-connectors-0-format-error"' in (
        wrong_edit.text
    )
    assert stale.status_code == 412 and "changed since this page was loaded" in stale.text
    listed = (await tenant.api.get("/hardware-templates")).json()["items"]
    assert sorted((t["model"], len(t["evses"])) for t in listed) == [("Bare", 0), ("Taken", 2)]
