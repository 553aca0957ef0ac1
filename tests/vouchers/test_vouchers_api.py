"""Vouchers over REST: codes, redemption onto a driver's ledger, the refusals, and the race for
a single-use code."""

import asyncio
from typing import Any

from tests.conftest import Tenant
from tests.drivers.test_drivers_api import new_driver


async def new_voucher(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"code": tenant.unique("WELCOME"), "kind": "amount", "amount": "10", "currency": "EUR"}
    response = await tenant.api.post("/vouchers", json=body | fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def redeem(tenant: Tenant, driver_id: str, code: str) -> Any:
    return await tenant.api.post(f"/drivers/{driver_id}/vouchers", json={"code": code})


async def test_an_amount_voucher_credits_the_ledger(tenant: Tenant) -> None:
    voucher = await new_voucher(tenant, amount="10.00")
    assert (voucher["status"], voucher["redemptions"], voucher["max_redemptions"]) == (
        "active",
        0,
        1,
    )
    driver = await new_driver(tenant)
    redeemed = await redeem(tenant, driver["id"], voucher["code"].lower())  # any case
    assert redeemed.status_code == 201, redeemed.text
    body = redeemed.json()
    assert (body["status"], body["amount"], body["voucher_id"]) == (
        "booked",
        "10.00",
        voucher["id"],
    )
    [entry] = (await tenant.api.get(f"/drivers/{driver['id']}/ledger")).json()["items"]
    assert (entry["kind"], entry["amount"], entry["id"]) == ("voucher", "10.00", body["entry_id"])
    assert (await tenant.api.get(f"/drivers/{driver['id']}")).json()["balance"] == "10.00"
    assert (await tenant.api.get(f"/vouchers/{voucher['id']}")).json()["redemptions"] == 1
    events = (await tenant.api.get("/events", params={"type": "driver.balance_changed"})).json()
    [event] = [e["data"] for e in events["items"] if e["data"]["driver_id"] == driver["id"]]
    assert (event["kind"], event["direction"], event["amount"], event["balance"]) == (
        "voucher",
        "credit",
        "10.00",
        "10.00",
    )
    listed = (await tenant.api.get(f"/drivers/{driver['id']}/vouchers")).json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]
    by_voucher = (await tenant.api.get(f"/vouchers/{voucher['id']}/redemptions")).json()
    assert by_voucher["total"] == 1


async def test_refusals_are_problems_never_500(tenant: Tenant) -> None:
    driver = await new_driver(tenant)
    used = await new_voucher(tenant)
    assert (await redeem(tenant, driver["id"], used["code"])).status_code == 201
    expired = await new_voucher(tenant, expires_at="2020-01-01T00:00:00Z")
    disabled = await new_voucher(tenant)
    assert (await tenant.api.post(f"/vouchers/{disabled['id']}/disable")).json()[
        "status"
    ] == "disabled"
    dollars = await new_voucher(tenant, currency="USD")
    other = await new_driver(tenant)
    cases = [
        (driver["id"], used["code"], 409),  # single use, taken
        (other["id"], used["code"], 409),
        (driver["id"], expired["code"], 409),
        (driver["id"], disabled["code"], 409),
        (driver["id"], "NO-SUCH-CODE", 422),
        (driver["id"], dollars["code"], 422),  # the driver's ledger is in EUR
        ("nobody", used["code"], 404),
    ]
    for driver_id, code, status in cases:
        response = await redeem(tenant, driver_id, code)
        assert response.status_code == status, (code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    ledger = (await tenant.api.get(f"/drivers/{driver['id']}/ledger")).json()
    assert ledger["total"] == 1


async def test_the_per_driver_limit_and_a_multi_use_code(tenant: Tenant) -> None:
    voucher = await new_voucher(tenant, max_redemptions=3, per_driver_limit=2, amount="5")
    first, second = await new_driver(tenant), await new_driver(tenant)
    assert (await redeem(tenant, first["id"], voucher["code"])).status_code == 201
    assert (await redeem(tenant, first["id"], voucher["code"])).status_code == 201
    again = await redeem(tenant, first["id"], voucher["code"])
    assert again.status_code == 409 and "limit per driver" in again.json()["detail"]
    assert (await redeem(tenant, second["id"], voucher["code"])).status_code == 201
    assert (await redeem(tenant, second["id"], voucher["code"])).status_code == 409  # used up
    assert (await tenant.api.get(f"/vouchers/{voucher['id']}")).json()["redemptions"] == 3
    assert (await tenant.api.get(f"/drivers/{first['id']}")).json()["balance"] == "10.00"


async def test_two_concurrent_redemptions_of_a_single_use_code_one_wins(tenant: Tenant) -> None:
    voucher = await new_voucher(tenant)
    drivers = [await new_driver(tenant) for _ in range(6)]
    answers = await asyncio.gather(*(redeem(tenant, d["id"], voucher["code"]) for d in drivers))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 409, 409, 409, 409, 409], [a.text for a in answers]
    assert (await tenant.api.get(f"/vouchers/{voucher['id']}")).json()["redemptions"] == 1
    balances = [(await tenant.api.get(f"/drivers/{d['id']}")).json()["balance"] for d in drivers]
    assert sorted(balances) == ["0.00"] * 5 + ["10.00"]


async def test_one_driver_racing_itself_gets_a_code_once(tenant: Tenant) -> None:
    voucher = await new_voucher(tenant, max_redemptions=None)
    driver = await new_driver(tenant)
    answers = await asyncio.gather(
        *(redeem(tenant, driver["id"], voucher["code"]) for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert (await tenant.api.get(f"/drivers/{driver['id']}")).json()["balance"] == "10.00"


async def test_codes_are_unique_case_insensitively_and_terms_are_checked(tenant: Tenant) -> None:
    voucher = await new_voucher(tenant)
    clash = await tenant.api.post(
        "/vouchers",
        json={"code": voucher["code"].lower(), "kind": "amount", "amount": "1", "currency": "EUR"},
    )
    assert clash.status_code == 409
    for body in (
        {"code": "P1", "kind": "amount", "amount": "1", "currency": "EUR"},  # too short
        {"code": "BAD CODE", "kind": "amount", "amount": "1", "currency": "EUR"},
        {"code": "PCT-1", "kind": "percentage", "currency": "EUR"},
        {"code": "PCT-2", "kind": "percentage", "percent": "120", "currency": "EUR"},
        {"code": "PCT-3", "kind": "percentage", "percent": "20", "amount": "1", "currency": "EUR"},
        {"code": "AMT-1", "kind": "amount", "amount": "-1", "currency": "EUR"},
        {"code": "AMT-2", "kind": "amount", "amount": "1", "currency": "EUR", "max_amount": "2"},
        {"code": "AMT-3", "kind": "amount", "amount": "1", "currency": "eur"},
        {"code": "AMT-4", "kind": "amount", "amount": "1", "currency": "EUR", "max_redemptions": 0},
        {
            "code": "AMT-5",
            "kind": "amount",
            "amount": "1",
            "currency": "EUR",
            "expires_at": "2030-01-01T00:00:00",
        },
        {"code": "AMT-6", "kind": "gift", "amount": "1", "currency": "EUR"},
    ):
        response = await tenant.api.post("/vouchers", json=body)
        assert response.status_code == 422, (body, response.text)
    listed = (await tenant.api.get("/vouchers", params={"code": voucher["code"].lower()})).json()
    assert [v["id"] for v in listed["items"]] == [voucher["id"]]
    assert (await tenant.api.get("/vouchers/nope")).status_code == 404


async def test_vouchers_belong_to_their_organization(tenant: Tenant, other_tenant: Tenant) -> None:
    voucher = await new_voucher(tenant)
    stranger = await new_driver(other_tenant)
    assert (await other_tenant.api.get(f"/vouchers/{voucher['id']}")).status_code == 404
    assert (await redeem(other_tenant, stranger["id"], voucher["code"])).status_code == 422
    driver = await new_driver(tenant)
    assert (await redeem(tenant, stranger["id"], voucher["code"])).status_code == 404
    assert (await redeem(tenant, driver["id"], voucher["code"])).status_code == 201
