"""Re-applying a changed hardware template to the stations already laid out from it, over HTTP
and OCPP: idle EVSEs follow the template, an EVSE in use is kept until it is free."""

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Tenant, make_tenant
from tests.hardware_templates.test_templates_api import TWIN_AC, layout
from tests.protocol.conftest import Stations, events_of
from tests.protocol.v201.conftest import V2Stations
from tests.support.billing import stamp

TAG = "REAPPLY-TAG"

# The model as changed: EVSE 1's socket became a 16 A cable, EVSE 2 is gone, a DC EVSE 3 came.
CHANGED = [
    {
        "evse_id": 1,
        "physical_reference": "Left",
        "connectors": [
            {
                "connector_id": 1,
                "standard": "IEC_62196_T2",
                "format": "CABLE",
                "power_type": "AC_3_PHASE",
                "max_voltage": 230,
                "max_amperage": 16,
            }
        ],
    },
    {
        "evse_id": 3,
        "connectors": [
            {
                "connector_id": 1,
                "standard": "IEC_62196_T2_COMBO",
                "format": "CABLE",
                "power_type": "DC",
                "max_voltage": 500,
                "max_amperage": 100,
            }
        ],
    },
]
AFTER = [(1, 1, "IEC_62196_T2", 11_040), (3, 1, "IEC_62196_T2_COMBO", 50_000)]
TWIN = [(1, 1, "IEC_62196_T2", 22_080), (2, 1, "IEC_62196_T2", 22_080)]


async def acme_template(tenant: Tenant) -> str:
    """The template of the model tests/protocol/conftest.py boots as."""
    body = {"vendor": "Acme", "model": "Wallbox 22", "evses": TWIN_AC}
    made = await tenant.api.post("/hardware-templates", json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def reapply(tenant: Tenant, template_id: str, **body: Any) -> dict[str, Any]:
    answer = await tenant.api.post(f"/hardware-templates/{template_id}/apply", json=body)
    assert answer.status_code == 200, answer.text
    return {s["station_id"]: s for s in answer.json()["stations"]}


def changes(result: dict[str, Any]) -> set[tuple[int, int | None, str]]:
    return {(c["evse_id"], c["connector_id"], c["change"]) for c in result["changes"]}


async def test_a_changed_template_is_laid_out_again_except_where_in_use(
    tenant: Tenant, stations: Stations
) -> None:
    api = tenant.api
    assert (await api.post("/id-tags", json={"value": TAG})).status_code == 201
    template_id = await acme_template(tenant)
    idle = await stations.register(template_id=template_id)
    charging = await stations.register(template_id=template_id)
    other = await stations.register()  # not of this model: never touched
    async with stations.booted(charging) as station:
        started = await station.ok(
            "StartTransaction",
            {
                "connectorId": 2,
                "idTag": TAG,
                "meterStart": 0,
                "timestamp": stamp(datetime.now(UTC)),
            },
        )
    changed = await api.patch(f"/hardware-templates/{template_id}", json={"evses": CHANGED})
    assert changed.status_code == 200, changed.text
    etag = (await api.get(f"/stations/{idle}")).headers["etag"]

    # A dry run says what would change and changes nothing.
    dry = await reapply(tenant, template_id, dry_run=True)
    assert set(dry) == {idle, charging}
    assert changes(dry[idle]) == {
        (1, None, "updated"),
        (1, 1, "updated"),
        (2, None, "removed"),
        (3, None, "planned"),
    }
    assert layout(await stations.detail(idle)) == TWIN
    assert (await api.get(f"/stations/{idle}")).headers["etag"] == etag

    done = await reapply(tenant, template_id)
    assert done[idle]["outcome"] == "applied" and done[idle]["kept"] == []
    assert layout(await stations.detail(idle)) == AFTER
    assert (await api.get(f"/stations/{idle}")).headers["etag"] != etag
    # The EVSE with a session running keeps its connector; the others follow.
    assert done[charging]["outcome"] == "waiting"
    assert done[charging]["kept"] == [
        {
            "evse_id": 2,
            "reason": "session_running",
            "changes": [{"evse_id": 2, "connector_id": None, "change": "removed"}],
        }
    ]
    assert layout(await stations.detail(charging)) == [AFTER[0], TWIN[1], AFTER[1]]
    assert layout(await stations.detail(other)) == []
    applied = await events_of(tenant.server, charging, "hardware_template.applied")
    assert applied[-1]["kept_evse_ids"] == [2] and applied[-1]["changes"] == 3

    # Once the session is over, re-applying finishes the job; a station done already is left.
    async with stations.booted(charging) as station:
        await station.ok(
            "StopTransaction",
            {
                "transactionId": started["transactionId"],
                "meterStop": 100,
                "timestamp": stamp(datetime.now(UTC)),
            },
        )
    again = await reapply(tenant, template_id)
    assert again[charging]["outcome"] == "applied"
    assert changes(again[charging]) == {(2, None, "removed")}
    assert again[idle] == {"station_id": idle, "outcome": "unchanged", "changes": [], "kept": []}
    assert layout(await stations.detail(charging)) == AFTER


async def test_an_occupied_connector_keeps_its_evse(tenant: Tenant, stations: Stations) -> None:
    template_id = await acme_template(tenant)
    station_id = await stations.register(template_id=template_id)
    async with stations.booted(station_id) as station:
        plugged = {"connectorId": 1, "status": "Preparing", "errorCode": "NoError"}
        await station.ok("StatusNotification", plugged)
    await tenant.api.patch(f"/hardware-templates/{template_id}", json={"evses": CHANGED})
    done = await reapply(tenant, template_id, station_ids=[station_id])
    assert [k["evse_id"] for k in done[station_id]["kept"]] == [1]
    assert done[station_id]["kept"][0]["reason"] == "connector_occupied"
    assert layout(await stations.detail(station_id)) == [TWIN[0], AFTER[1]]


async def test_a_planned_station_takes_the_template_by_name(
    tenant: Tenant, stations: Stations
) -> None:
    """A station not yet connected (no vendor, model or layout) named in `station_ids` is laid
    out and takes the template's model; one reporting another model is refused."""
    template_id = await acme_template(tenant)
    planned = await stations.register()
    done = await reapply(tenant, template_id, station_ids=[planned])
    assert done[planned]["outcome"] == "applied"
    detail = await stations.detail(planned)
    assert layout(detail) == TWIN
    assert (detail["vendor"], detail["model"]) == ("Acme", "Wallbox 22")

    other = await tenant.api.post(
        "/hardware-templates", json={"vendor": "Other", "model": "One", "evses": CHANGED}
    )
    refused = await tenant.api.post(
        f"/hardware-templates/{other.json()['id']}/apply", json={"station_ids": [planned]}
    )
    assert refused.status_code == 409, refused.text
    unknown = await tenant.api.post(
        f"/hardware-templates/{template_id}/apply", json={"station_ids": ["nope"]}
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"


async def test_viewers_cannot_reapply(tenant: Tenant) -> None:
    template_id = await acme_template(tenant)
    async for viewer in make_tenant(tenant.server, role="viewer"):
        answer = await viewer.api.post(f"/hardware-templates/{template_id}/apply", json={})
        assert answer.status_code == 403


async def test_reapplying_a_template_with_blanks_the_station_filled_changes_nothing(
    tenant: Tenant, v2: V2Stations
) -> None:
    """Regression: a template leaving a connector's standard blank, on a 2.0.1 station whose
    NotifyReport filled it, answered "updated" at every re-apply (and moved the ETag)."""
    blank = {"connector_id": 1, "power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 16}
    body = {
        "vendor": "Acme",
        "model": "Wallbox 2x22",
        "evses": [{"evse_id": 1, "connectors": [blank]}],
    }
    made = await tenant.api.post("/hardware-templates", json=body)
    assert made.status_code == 201, made.text
    template_id = made.json()["id"]
    station_id = await v2.register(template_id=template_id)
    report = {
        "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
        "variable": {"name": "ConnectorType"},
        "variableAttribute": [{"type": "Actual", "value": "cType2"}],
        "variableCharacteristics": {"dataType": "string", "supportsMonitoring": False},
    }
    notify = {"requestId": 1, "generatedAt": "2026-01-01T10:00:00Z", "seqNo": 0}
    async with v2.booted_v2(station_id) as station:
        await station.ok("NotifyReport", notify | {"reportData": [report]})
    filled = (await v2.detail(station_id))["evses"][0]["connectors"][0]
    assert (filled["standard"], filled["format"], filled["conflicts"]) == (
        "IEC_62196_T2",
        "CABLE",
        [],
    )
    etag = (await tenant.api.get(f"/stations/{station_id}")).headers["etag"]
    for _ in range(2):
        again = await reapply(tenant, template_id, station_ids=[station_id])
        assert again[station_id] == {
            "station_id": station_id,
            "outcome": "unchanged",
            "changes": [],
            "kept": [],
        }
    assert (await tenant.api.get(f"/stations/{station_id}")).headers["etag"] == etag


async def test_a_reapply_names_the_template_revision_it_reviewed(
    tenant: Tenant, stations: Stations
) -> None:
    """Dry run, review, apply: with the template's ETag in If-Match, a template changed in
    between is refused (412) instead of laying out something nobody reviewed."""
    api = tenant.api
    template_id = await acme_template(tenant)
    station_id = await stations.register(template_id=template_id)
    await api.patch(f"/hardware-templates/{template_id}", json={"evses": CHANGED})
    reviewed = (await api.get(f"/hardware-templates/{template_id}")).headers["etag"]
    dry = await api.post(
        f"/hardware-templates/{template_id}/apply",
        json={"station_ids": [station_id], "dry_run": True},
        headers={"If-Match": reviewed},
    )
    assert dry.status_code == 200, dry.text
    await api.patch(f"/hardware-templates/{template_id}", json={"evses": TWIN_AC})
    stale = await api.post(
        f"/hardware-templates/{template_id}/apply",
        json={"station_ids": [station_id]},
        headers={"If-Match": reviewed},
    )
    assert stale.status_code == 412, stale.text
    assert stale.headers["content-type"] == "application/problem+json"
    assert layout(await stations.detail(station_id)) == TWIN
    gone = await api.delete(f"/hardware-templates/{template_id}", headers={"If-Match": reviewed})
    assert gone.status_code == 412
    current = (await api.get(f"/hardware-templates/{template_id}")).headers["etag"]
    deleted = await api.delete(f"/hardware-templates/{template_id}", headers={"If-Match": current})
    assert deleted.status_code == 204
