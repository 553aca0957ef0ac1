"""Drivers over REST: their tags, top-ups, fees and the append-only ledger; prepaid drivers at
Authorize over a real 1.6 socket."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station


async def new_driver(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Ada", "email": f"{tenant.unique('ada')}@example.com"} | fields
    response = await tenant.api.post("/drivers", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_top_ups_fees_and_corrections_make_the_balance(tenant: Tenant) -> None:
    driver = await new_driver(tenant)
    assert (driver["balance"], driver["payment_mode"], driver["status"]) == (
        "0.00",
        "postpaid",
        "enabled",
    )
    base = f"/drivers/{driver['id']}"
    topped = await tenant.api.post(f"{base}/balance", json={"amount": "25.00", "currency": "EUR"})
    assert topped.status_code == 201, topped.text
    assert (topped.json()["kind"], topped.json()["amount"]) == ("top_up", "25.00")
    assert topped.json()["payment_id"]
    fee = await tenant.api.post(
        f"{base}/fees", json={"amount": "2.50", "currency": "EUR", "description": "card"}
    )
    assert fee.status_code == 201 and fee.json()["amount"] == "-2.50"
    fixed = await tenant.api.post(
        f"{base}/ledger",
        json={"kind": "correction", "amount": "-0.25", "currency": "EUR", "description": "typo"},
    )
    assert fixed.status_code == 201, fixed.text
    assert (await tenant.api.get(base)).json()["balance"] == "22.25"
    ledger = (await tenant.api.get(f"{base}/ledger")).json()
    assert [e["kind"] for e in ledger["items"]] == ["correction", "fee", "top_up"]
    assert ledger["total"] == 3


async def test_refused_money_movements(tenant: Tenant) -> None:
    driver = await new_driver(tenant)
    base = f"/drivers/{driver['id']}"
    for body in (
        {"amount": "10.00", "currency": "USD"},  # not the driver's currency
        {"amount": "-5", "currency": "EUR"},
        {"amount": "0.0000001", "currency": "EUR"},
        {"amount": "abc", "currency": "EUR"},
        {"currency": "EUR"},
    ):
        response = await tenant.api.post(f"{base}/balance", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (
        await tenant.api.post("/drivers/nobody/balance", json={"amount": "1", "currency": "EUR"})
    ).status_code == 404


async def test_balance_changes_are_events(tenant: Tenant) -> None:
    driver = await new_driver(tenant)
    await tenant.api.post(
        f"/drivers/{driver['id']}/balance", json={"amount": "5", "currency": "EUR"}
    )
    events = (await tenant.api.get("/events", params={"type": "driver.balance_changed"})).json()
    [event] = [e for e in events["items"] if e["data"]["driver_id"] == driver["id"]]
    assert event["data"] | {"entry_id": 0} == {
        "driver_id": driver["id"],
        "entry_id": 0,
        "kind": "top_up",
        "direction": "credit",
        "amount": "5.00",
        "balance": "5.00",
        "currency": "EUR",
        "cdr_id": None,
    }


async def test_tags_belong_to_one_driver(tenant: Tenant) -> None:
    tag = await add_tag(tenant)
    first = await new_driver(tenant, id_tags=[tag])
    assert first["id_tags"] == [tag]
    second = await new_driver(tenant)
    taken = await tenant.api.post(f"/drivers/{second['id']}/id-tags", json={"id_tag": tag})
    assert taken.status_code == 409
    unknown = await tenant.api.post(f"/drivers/{second['id']}/id-tags", json={"id_tag": "NOPE"})
    assert unknown.status_code == 422
    released = await tenant.api.delete(f"/drivers/{first['id']}/id-tags/{tag}")
    assert released.status_code == 204
    linked = await tenant.api.post(f"/drivers/{second['id']}/id-tags", json={"id_tag": tag})
    assert linked.status_code == 200 and linked.json()["id_tags"] == [tag]


async def test_a_driver_with_entries_is_kept(tenant: Tenant) -> None:
    driver = await new_driver(tenant)
    await tenant.api.post(
        f"/drivers/{driver['id']}/balance", json={"amount": "5", "currency": "EUR"}
    )
    assert (await tenant.api.delete(f"/drivers/{driver['id']}")).status_code == 409
    changed = await tenant.api.patch(f"/drivers/{driver['id']}", json={"currency": "USD"})
    assert changed.status_code == 409
    empty = await new_driver(tenant)
    assert (await tenant.api.delete(f"/drivers/{empty['id']}")).status_code == 204


async def test_drivers_are_scoped_to_the_organization(tenant: Tenant, other_tenant: Tenant) -> None:
    driver = await new_driver(tenant)
    assert (await other_tenant.api.get(f"/drivers/{driver['id']}")).status_code == 404
    assert (await other_tenant.api.get(f"/drivers/{driver['id']}/ledger")).status_code == 404


async def authorize(stations: Stations, station_id: str, tag: str) -> str:
    async with stations.booted(station_id) as station:
        answer = await station.ok("Authorize", {"idTag": tag})
    return str(answer["idTagInfo"]["status"])


async def test_a_prepaid_driver_needs_a_balance_that_covers_the_tariff(
    tenant: Tenant, stations: Stations
) -> None:
    tariff_id = await create_tariff(tenant, min_price="5.00")  # 6.00 with tax
    station_id = await priced_station(tenant, stations, tariff_id)
    tag = await add_tag(tenant)
    driver = await new_driver(tenant, payment_mode="prepaid", id_tags=[tag])
    assert await authorize(stations, station_id, tag) == "Invalid"  # NoCredit, as 1.6 says it
    [refused] = await events_of(tenant.server, station_id, "authorization.rejected")
    assert refused["status"] == "NoCredit"
    base = f"/drivers/{driver['id']}/balance"
    await tenant.api.post(base, json={"amount": "5.99", "currency": "EUR"})
    assert await authorize(stations, station_id, tag) == "Invalid"
    await tenant.api.post(base, json={"amount": "0.01", "currency": "EUR"})
    assert await authorize(stations, station_id, tag) == "Accepted"


async def test_a_disabled_driver_is_blocked_and_a_postpaid_one_needs_no_balance(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    tag = await add_tag(tenant)
    driver = await new_driver(tenant, id_tags=[tag])
    assert await authorize(stations, station_id, tag) == "Accepted"
    await tenant.api.patch(f"/drivers/{driver['id']}", json={"status": "disabled"})
    assert await authorize(stations, station_id, tag) == "Blocked"


async def test_drivers_are_listed_with_their_balance(tenant: Tenant) -> None:
    driver = await new_driver(tenant, payment_mode="prepaid")
    await tenant.api.post(
        f"/drivers/{driver['id']}/balance", json={"amount": "7.5", "currency": "EUR"}
    )
    listed = (await tenant.api.get("/drivers", params={"email": driver["email"]})).json()
    [item] = listed["items"]
    assert (item["id"], item["balance"], item["payment_mode"]) == (driver["id"], "7.50", "prepaid")
