"""A real 1.6 session of a driver with a subscription and a percentage voucher: the CDR keeps
the session's price, the ledger books the charge and the credits next to it, and a credit CDR
refunds what the driver paid.

The session (tests/support/billing.py) costs 4.80 including tax: 10 kWh whose energy costs 3.60
and a 1.20 flat fee. The plan includes 4 kWh a month and takes 10 % off the rest; the voucher
takes 50 % off the next session, at most 1.00.
"""

from tests.cdrs.test_session_billing import driver_with_balance, only_cdr
from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.subscriptions.test_subscriptions_api import activate, new_plan
from tests.support.billing import create_tariff, priced_station, run_session
from tests.vouchers.test_vouchers_api import new_voucher, redeem


async def test_subscription_and_voucher_credits_follow_the_session_charge(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await priced_station(tenant, stations, await create_tariff(tenant))
    tag = await add_tag(tenant)
    driver_id = await driver_with_balance(tenant, tag)
    plan = await new_plan(tenant, included_kwh="4", discount_percent="10")
    sub = (await activate(tenant, driver_id, plan["id"])).json()
    voucher = await new_voucher(
        tenant, kind="percentage", amount=None, percent="50", max_amount="1.00"
    )
    held = (await redeem(tenant, driver_id, voucher["code"])).json()
    assert (held["status"], held["amount"], held["entry_id"]) == ("pending", None, None)

    tx_id = await run_session(stations, station_id, tag)

    cdr = await only_cdr(tenant, tx_id)
    assert cdr["total_incl_tax"] == "4.80"  # the CDR is the session's price, as issued
    ledger = (await tenant.api.get(f"/drivers/{driver_id}/ledger")).json()["items"]
    # Included: 4 kWh x 0.36 = 1.44; 10 % of the 3.36 left: 0.336; 1.776 -> 1.78.
    # Voucher: 50 % of the 3.02 still paid = 1.51, capped at 1.00.
    assert [(e["kind"], e["amount"], e["cdr_id"]) for e in ledger] == [
        ("voucher", "1.00", cdr["id"]),
        ("discount", "1.78", cdr["id"]),
        ("session_charge", "-4.80", cdr["id"]),
        ("subscription_fee", "-9.90", None),
        ("top_up", "25.00", None),
    ]
    assert ledger[1]["description"] == "subscription Commuter: 4 kWh included, 10 % off"
    assert (await tenant.api.get(f"/drivers/{driver_id}")).json()["balance"] == "13.08"
    period = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()["periods"][0]
    assert period["used_kwh"] == "4.000000"
    [applied] = (await tenant.api.get(f"/drivers/{driver_id}/vouchers")).json()["items"]
    assert (applied["status"], applied["amount"], applied["cdr_id"]) == (
        "applied",
        "1.00",
        cdr["id"],
    )

    credit = await tenant.api.post(f"/cdrs/{cdr['id']}/credit", json={"remark": "goodwill"})
    assert credit.status_code == 201, credit.text
    [refund, *_] = (await tenant.api.get(f"/drivers/{driver_id}/ledger")).json()["items"]
    assert (refund["kind"], refund["amount"]) == ("refund", "2.02")  # 4.80 - 1.78 - 1.00
    assert (await tenant.api.get(f"/drivers/{driver_id}")).json()["balance"] == "15.10"
