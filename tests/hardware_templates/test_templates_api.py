"""Hardware templates: a vendor's model laid out on stations created from it or booting as it."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations

TWIN_AC = [
    {
        "evse_id": evse_id,
        "connectors": [
            {
                "connector_id": 1,
                "standard": "IEC_62196_T2",
                "format": "SOCKET",
                "power_type": "AC_3_PHASE",
                "max_voltage": 230,
                "max_amperage": 32,
            }
        ],
    }
    for evse_id in (1, 2)
]


def layout(station: dict[str, Any]) -> list[tuple[int, int, str | None, int | None]]:
    return [
        (e["evse_id"], c["connector_id"], c["standard"], c["max_electric_power"])
        for e in station["evses"]
        for c in e["connectors"]
    ]


async def template(tenant: Tenant, vendor: str, model: str) -> dict[str, Any]:
    body = {"vendor": vendor, "model": model, "name": "Twin 22", "evses": TWIN_AC}
    response = await tenant.api.post("/hardware-templates", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_station_created_from_a_template_is_laid_out(
    tenant: Tenant, stations: Stations
) -> None:
    made = await template(tenant, "Elec", "Twin-22")
    again = await tenant.api.post(
        "/hardware-templates", json={"vendor": "ELEC", "model": "twin-22"}
    )
    assert again.status_code == 409
    station_id = await stations.register(template_id=made["id"])
    detail = await stations.detail(station_id)
    assert (detail["vendor"], detail["model"]) == ("Elec", "Twin-22")
    assert layout(detail) == [(1, 1, "IEC_62196_T2", 22_080), (2, 1, "IEC_62196_T2", 22_080)]
    unknown = await tenant.api.post(
        "/stations", json={"id": tenant.unique("CP"), "template_id": "nope"}
    )
    assert unknown.status_code == 422

    renamed = await tenant.api.patch(f"/hardware-templates/{made['id']}", json={"name": "Twin"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Twin"
    listed = (await tenant.api.get("/hardware-templates")).json()
    assert [t["id"] for t in listed["items"]] == [made["id"]]
    assert (await tenant.api.delete(f"/hardware-templates/{made['id']}")).status_code == 204


async def test_a_station_booting_as_a_templated_model_gets_its_layout(
    tenant: Tenant, stations: Stations
) -> None:
    # tests/protocol/conftest.py boots as Acme "Wallbox 22"; stations report any case.
    await template(tenant, "ACME", "wallbox 22")
    station_id = await stations.register()
    async with stations.booted(station_id):
        pass
    detail = await stations.detail(station_id)
    assert layout(detail) == [(1, 1, "IEC_62196_T2", 22_080), (2, 1, "IEC_62196_T2", 22_080)]
    # A second boot does not lay it out twice, nor touch the planned layout.
    etag = (await tenant.api.get(f"/stations/{station_id}")).headers["etag"]
    async with stations.booted(station_id):
        pass
    assert (await tenant.api.get(f"/stations/{station_id}")).headers["etag"] == etag


async def test_a_template_with_repeated_ids_is_refused(tenant: Tenant) -> None:
    """A layout the station could not take is refused when the template is written, not when
    a station is created from it or boots as its model."""
    connector = TWIN_AC[0]["connectors"][0]
    for evses in (
        [TWIN_AC[0], TWIN_AC[0]],
        [{"evse_id": 1, "connectors": [connector, connector]}],
    ):
        body = {"vendor": tenant.unique("Acme"), "model": "Twin", "evses": evses}
        answer = await tenant.api.post("/hardware-templates", json=body)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert "repeat" in answer.json()["detail"]
