"""Vendor error code translations over a real server: kept through the API (one at a time and
imported), translated for a station by what it said at boot, and carried by the vendor-error
alert a real 1.6 station raises."""

from tests.alerts.conftest import online, wait_for_alert
from tests.alerts.test_event_rules import named, status
from tests.commands.conftest import Online
from tests.conftest import Tenant, make_tenant

__all__ = ["online"]

E17 = {
    "vendor": "Acme",
    "code": "E-17",
    "title": "Residual current detected",
    "description": "The RCD tripped during charging.",
    "severity": "High",
    "action": "Inspect the cable and reset the RCD on site.",
}


async def test_keep_the_table_and_import_it(tenant: Tenant, other_tenant: Tenant) -> None:
    created = await tenant.api.post("/vendor-error-codes", json=E17)
    assert created.status_code == 201, created.text
    row = created.json()
    assert (row["model"], row["firmware_version"], row["severity"]) == (None, None, "High")
    duplicate = await tenant.api.post("/vendor-error-codes", json=E17)
    assert duplicate.status_code == 409

    patched = await tenant.api.patch(f"/vendor-error-codes/{row['id']}", json={"severity": "Low"})
    assert patched.status_code == 200 and patched.json()["severity"] == "Low"
    refused = await tenant.api.patch(f"/vendor-error-codes/{row['id']}", json={"title": None})
    assert refused.status_code == 422

    imported = await tenant.api.post(
        "/vendor-error-codes/import",
        json={
            "codes": [
                {**E17, "severity": "High"},
                {**E17, "model": "Wallbox 22", "title": "RCD tripped (Wallbox 22)"},
                {"vendor": "Acme", "code": "E-02", "title": "Lid open"},
            ]
        },
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"created": 2, "updated": 1}
    listed = (await tenant.api.get("/vendor-error-codes", params={"code": "E-17"})).json()
    assert listed["total"] == 2
    assert (await other_tenant.api.get("/vendor-error-codes")).json()["total"] == 0
    assert (await other_tenant.api.get(f"/vendor-error-codes/{row['id']}")).status_code == 404

    events = (await tenant.api.get("/events", params={"type": "vendor_error_code.*"})).json()
    kinds = [event["type"] for event in events["items"]]
    assert {"vendor_error_code.created", "vendor_error_code.updated"} <= set(kinds)
    assert "vendor_error_code.imported" in kinds

    async for viewer in make_tenant(tenant.server, role="viewer"):
        assert (await viewer.api.post("/vendor-error-codes", json=E17)).status_code == 403

    deleted = await tenant.api.delete(f"/vendor-error-codes/{row['id']}")
    assert deleted.status_code == 204
    assert (await tenant.api.get(f"/vendor-error-codes/{row['id']}")).status_code == 404


async def test_a_reported_code_is_translated_in_its_alert(tenant: Tenant, online: Online) -> None:
    await tenant.api.post(
        "/vendor-error-codes/import",
        json={
            "codes": [
                {**E17, "severity": "Low"},
                {**E17, "model": "wallbox 22", "title": "RCD tripped", "severity": "High"},
            ]
        },
    )
    async with online() as (station_id, station):
        translated = await tenant.api.get(
            "/vendor-error-codes/translate", params={"station_id": station_id, "code": "E-17"}
        )
        assert translated.status_code == 200, translated.text
        assert (translated.json()["title"], translated.json()["model"]) == (
            "RCD tripped",
            "wallbox 22",
        )
        unknown = await tenant.api.get(
            "/vendor-error-codes/translate", params={"station_id": station_id, "code": "E-99"}
        )
        assert unknown.status_code == 404

        await station.ok(
            "StatusNotification",
            status(1, "Faulted", "OtherError", vendorId="Acme", vendorErrorCode="E-17"),
        )
        alert = await wait_for_alert(
            tenant, named("vendor-error", "Triggered"), station_id=station_id
        )
        assert alert["urgency"] == "High"
        assert alert["detail"]["translation"] == {
            "title": "RCD tripped",
            "description": E17["description"],
            "severity": "High",
            "action": E17["action"],
        }
