"""The power-below-limit rule over a real server, smart charging and a simulated 1.6 station on
loopback: a mid-size car that takes 11 kW under a 21 kW limit is far below it; a lower limit it
meets ends the alert. And the rule's fraction as an organization sets it."""

from tests.alerts.conftest import wait_for_alert
from tests.alerts.test_event_rules import named
from tests.alerts.test_swept_rules import set_rule
from tests.conftest import Tenant
from tests.load_management.conftest import simulated_site, until


async def test_a_session_drawing_far_below_its_limit(tenant: Tenant) -> None:
    rule = await set_rule(tenant, "power-below-limit", threshold_s=1, fraction=0.6)
    assert (rule["fraction"], rule["default_fraction"], rule["default_threshold_s"]) == (
        0.6,
        0.5,
        900,
    )
    async with simulated_site(tenant, 1, connectors=1, max_power_kw=22, buffer_kw=1) as site:
        station = site.stations[0]
        await site.start(0)
        await until(lambda: site.session_limits_w() == [21_000])
        await station.report_meter(1)  # the car takes 11 kW of the 21 offered
        below = await wait_for_alert(
            tenant, named("power-below-limit", "Triggered"), station_id=station.station_id
        )
        assert (below["category"], below["urgency"], below["evse_id"]) == ("Charging", "Low", 1)
        assert below["detail"] == {
            "power_kw": 11.0,
            "limit_kw": 21.0,
            "fraction": 0.6,
            "threshold_s": 1,
        }
        [tx] = (
            await tenant.api.get("/transactions", params={"station_id": station.station_id})
        ).json()["items"]
        assert below["transaction_id"] == tx["id"]

        lowered = await tenant.api.patch(f"/circuits/{site.circuit_id}", json={"max_power_kw": 13})
        assert lowered.status_code == 200, lowered.text
        await until(lambda: site.session_limits_w() == [12_000])
        await wait_for_alert(  # 11 kW of 12 is not far below: over
            tenant,
            lambda a: a["id"] == below["id"] and a["status"] == "Resolved",
            station_id=station.station_id,
        )


async def test_the_fraction_is_a_share_and_only_for_rules_that_compare_to_a_limit(
    tenant: Tenant,
) -> None:
    for body in ({"fraction": 0}, {"fraction": 1}, {"fraction": 1.5}):
        response = await tenant.api.patch("/alert-rules/power-below-limit", json=body)
        assert response.status_code == 422, (body, response.text)
    response = await tenant.api.patch("/alert-rules/station-offline", json={"fraction": 0.5})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    rules = {r["name"]: r for r in (await tenant.api.get("/alert-rules")).json()}
    assert rules["station-offline"]["fraction"] is None
    assert rules["power-below-limit"]["fraction"] == 0.5
    reset = await set_rule(tenant, "power-below-limit", fraction=0.3)
    assert reset["fraction"] == 0.3
    assert (await set_rule(tenant, "power-below-limit", fraction=None))["fraction"] == 0.5
