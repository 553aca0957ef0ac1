"""An organization with one object of (almost) every kind the REST API serves, over real REST and
a real OCPP 1.6 socket, and the secrets it was given: what the OpenAPI-driven sweeps
(test_sweeps.py) fill paths and bodies with, and look for in answers."""

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.api.factories import BOOT, USER_PASSWORD
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, raw_station

STATION_KEY = "station-key-0123456789abcdef"  # sent as AuthorizationKey through the API


@dataclass
class Populated:
    """Ids by path parameter name (`path:name` where one name means different things), and
    every secret the organization holds."""

    ids: dict[str, Any] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)

    @property
    def station_id(self) -> str:
        return str(self.ids["station_id"])


async def created(api: httpx.AsyncClient, path: str, body: Any) -> Any:
    answer = await api.post(path, json=body)
    assert answer.status_code in (200, 201, 202), answer.text
    return answer.json()


async def _first(api: httpx.AsyncClient, path: str) -> Any:
    answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    return items[0]["id"] if items else None


async def populate(tenant: Tenant) -> Populated:
    api, made = tenant.api, Populated()
    ids = made.ids
    made.secrets |= {PASSWORD, USER_PASSWORD, STATION_KEY, tenant.token}

    ids["location_id"] = (await created(api, "/locations", {"name": tenant.unique("Site")}))["id"]
    tariff = {
        "name": "AC",
        "currency": "EUR",
        "elements": [{"price_components": [{"type": "ENERGY", "price": "0.30", "step_size": 1}]}],
    }
    ids["tariff_id"] = (await created(api, "/tariffs", tariff))["id"]
    station_id = ids["station_id"] = tenant.unique("CP")
    station = {"id": station_id, "password": PASSWORD, "location_id": ids["location_id"]}
    await created(api, "/stations", station)
    answer = await api.patch(f"/stations/{station_id}", json={"tariff_id": ids["tariff_id"]})
    assert answer.status_code == 200, answer.text
    tag = ids["id_tag"] = ids["value"] = tenant.unique("TAG")
    ids["tag_id"] = (await created(api, "/id-tags", {"value": tag}))["id"]
    driver = {"name": "Ada", "email": f"{tenant.unique('ada')}@example.com"}
    ids["driver_id"] = driver_id = (await created(api, "/drivers", driver))["id"]
    await created(api, f"/drivers/{driver_id}/id-tags", {"id_tag": tag})

    async with raw_station(tenant.server.ocpp_url, station_id) as socket:
        await socket.ok("BootNotification", BOOT)
        status = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
        await socket.ok("StatusNotification", status)
        start = await socket.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": "2026-01-01T10:00:00Z"},
        )
        stop = {"transactionId": start["transactionId"], "meterStop": 5000}
        await socket.ok("StopTransaction", stop | {"timestamp": "2026-01-01T10:30:00Z"})
    ids["transaction_id"] = start["transactionId"]
    ids["evse_id"] = ids["connector_id"] = 1
    ids["cdr_id"] = await _first(api, "/cdrs")

    group = {"name": tenant.unique("G"), "tariff_id": ids["tariff_id"]}
    ids["/tariff-groups/{group_id}:group_id"] = (await created(api, "/tariff-groups", group))["id"]
    ids["group_id"] = (await created(api, "/tag-groups", {"name": tenant.unique("T")}))["id"]
    plan = {"name": tenant.unique("P"), "fee": "5", "currency": "EUR"}
    ids["plan_id"] = (await created(api, "/subscription-plans", plan))["id"]
    subscription = {"plan_id": ids["plan_id"]}
    subscribed = await created(api, f"/drivers/{driver_id}/subscriptions", subscription)
    ids["subscription_id"] = subscribed["id"]
    voucher = {"code": tenant.unique("V"), "kind": "amount", "amount": "10", "currency": "EUR"}
    ids["voucher_id"] = (await created(api, "/vouchers", voucher))["id"]
    window = {
        "station_id": station_id,
        "starts_at": "2030-01-01T00:00:00Z",
        "ends_at": "2030-01-02T00:00:00Z",
    }
    ids["window_id"] = (await created(api, "/maintenance-windows", window))["id"]
    template = {"vendor": "Acme", "model": "Wallbox 22"}
    ids["template_id"] = (await created(api, "/hardware-templates", template))["id"]
    grant = {"id_tag": tag, "station_id": station_id}
    ids["permission_id"] = (await created(api, "/permissions", grant))["id"]
    circuit = {"name": "Main", "max_power_kw": 50}
    ids["circuit_id"] = (await created(api, "/circuits", circuit))["id"]
    vehicle = {"name": "Van", "battery_kwh": 60}
    ids["vehicle_id"] = vehicle_id = (await created(api, "/vehicles", vehicle))["id"]
    vans = {"name": tenant.unique("Vans")}
    ids["/vehicle-groups/{group_id}:group_id"] = (await created(api, "/vehicle-groups", vans))["id"]
    reading = {"measured_at": "2026-01-01T10:00:00Z", "soc_percent": 40, "odometer_km": 1200}
    await created(api, f"/vehicles/{vehicle_id}/telematics", reading)
    route = {"departs_at": "2030-01-01T06:00:00Z", "energy_kwh": 20}
    ids["route_id"] = (await created(api, f"/vehicles/{vehicle_id}/routes", route))["id"]
    meter = {"name": "Offices", "circuit_id": ids["circuit_id"]}
    ids["meter_id"] = meter_id = (await created(api, "/external-meters", meter))["id"]
    power = {"measured_at": "2026-01-01T10:00:00Z", "power_kw": 3.5}
    await created(api, f"/external-meters/{meter_id}/readings", power)
    # Disabled: nothing listens on port 9, and the shared server need not retry deliveries.
    hook = {"url": "http://127.0.0.1:9/hook", "enabled": False}
    webhook = await created(api, "/webhooks", hook)
    ids["webhook_id"] = webhook["id"]
    made.secrets.add(webhook["secret"])
    user = {"email": f"{tenant.unique('user')}@example.com", "password": USER_PASSWORD}
    ids["user_id"] = (await created(api, "/users", user))["id"]
    token = await created(api, "/tokens", {"name": "svc", "role": "operator", "service": True})
    ids["token_id"] = token["id"]
    made.secrets.add(token["secret"])
    code = {"vendor": "Acme", "code": tenant.unique("E"), "title": "Ground fault"}
    ids["code_id"] = (await created(api, "/vendor-error-codes", code))["id"]
    ids["report_id"] = (await created(api, "/reports", {"kind": "transactions"}))["id"]
    price = {
        "starts_at": "2030-01-01T00:00:00Z",
        "ends_at": "2030-01-01T01:00:00Z",
        "price_per_kwh": "0.30",
    }
    await created(api, "/energy-prices", [price])
    ids["price_id"] = await _first(api, "/energy-prices")
    event = {
        "circuit_id": ids["circuit_id"],
        "starts_at": "2030-01-01T00:00:00Z",
        "ends_at": "2030-01-01T01:00:00Z",
        "max_power_kw": 10,
    }
    ids["event_id"] = (await created(api, "/demand-response-events", event))["id"]
    # A station password sent through the API: the station is offline, so the command is
    # refused, but it is recorded in the command audit all the same.
    key = {"key": "AuthorizationKey", "value": STATION_KEY}
    answer = await api.post(f"/stations/{station_id}/commands/change-configuration", json=key)
    assert answer.status_code == 409, answer.text
    ids["command_id"] = answer.json()["command_id"]
    ids["settlement_id"] = await _first(api, "/settlements")
    ids["alert_id"] = await _first(api, "/alerts")
    ids["/events/{event_id}:event_id"] = await _first(api, "/events")
    return made
