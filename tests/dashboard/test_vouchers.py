"""The vouchers page: codes with their terms and use, created and disabled by operators through
the REST API's rules; and redeeming a code from a driver's page."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def test_viewers_read_the_vouchers_and_may_not_create_or_disable(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    code = tenant.unique("WELCOME").replace(".", "-")
    made = await tenant.api.post(
        "/vouchers",
        json={"code": code, "kind": "amount", "amount": "10.00", "currency": "EUR"},
    )
    assert made.status_code == 201, made.text
    share = await tenant.api.post(
        "/vouchers",
        json={
            "code": f"{code}-P",
            "kind": "percentage",
            "percent": "20",
            "max_amount": "5.00",
            "currency": "EUR",
            "max_redemptions": None,
            "expires_at": "2020-01-01T00:00:00Z",
        },
    )
    assert share.status_code == 201, share.text
    foreign = await other_tenant.api.post(
        "/vouchers",
        json={"code": "FOREIGN-1", "kind": "amount", "amount": "3", "currency": "EUR"},
    )
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/vouchers")
        found = await client.get("/vouchers", params={"code": code.lower()})
        disabled = await client.get("/vouchers", params={"status": "disabled"})
        csrf = hidden(listing.text, "csrf_token")
        create = await client.post(
            "/vouchers",
            data={
                "csrf_token": csrf,
                "code": "VIEWER-1",
                "kind": "amount",
                "amount": "1",
                "currency": "EUR",
            },
        )
        disable = await client.post(
            f"/vouchers/{made.json()['id']}/disable", data={"csrf_token": csrf}
        )
    assert listing.status_code == 200 and 'href="/vouchers"' in listing.text
    assert code in listing.text and "10.00 EUR" in listing.text
    assert "20 %, at most 5.00 EUR" in listing.text and "0 / no limit" in listing.text
    assert "0 / 1" in listing.text and "(has expired)" in listing.text
    assert "FOREIGN-1" not in listing.text and foreign.status_code == 201
    assert "1 voucher," in found.text and "0 vouchers" in disabled.text
    assert 'id="voucher-new"' not in listing.text and "Disable</button>" not in listing.text
    assert create.status_code == 403 and disable.status_code == 403
    assert (await tenant.api.get(f"/vouchers/{made.json()['id']}")).json()["status"] == "active"


async def test_an_operator_creates_and_disables_vouchers_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    foreign = await other_tenant.api.post(
        "/vouchers",
        json={"code": "ELSEWHERE", "kind": "amount", "amount": "3", "currency": "EUR"},
    )
    code = tenant.unique("SPRING").replace(".", "-")
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/vouchers")
        csrf = hidden(listing.text, "csrf_token")
        new = {
            "csrf_token": csrf,
            "code": code,
            "kind": "amount",
            "currency": "EUR",
            "amount": "7.50",
            "percent": "",
            "max_amount": "",
            "expires_at": "2099-12-31T23:00",
            "max_redemptions": "",
            "per_driver_limit": "",
            "description": "spring promotion",
        }
        made = await client.post("/vouchers", data=new)
        taken = await client.post("/vouchers", data=new | {"code": code.lower()})
        no_amount = await client.post("/vouchers", data=new | {"code": f"{code}-X", "amount": ""})
        bad_code = await client.post("/vouchers", data=new | {"code": "no spaces!"})
        bad_expiry = await client.post("/vouchers", data=new | {"code": "X-1", "expires_at": "x"})
        unlimited = await client.post(
            "/vouchers",
            data=new
            | {
                "code": f"{code}-U",
                "kind": "percentage",
                "amount": "",
                "percent": "15",
                "unlimited": "1",
            },
        )
        after = await client.get("/vouchers")
        made_id = (await tenant.api.get("/vouchers", params={"code": code})).json()["items"][0][
            "id"
        ]
        disabled = await client.post(f"/vouchers/{made_id}/disable", data={"csrf_token": csrf})
        again = await client.post(f"/vouchers/{made_id}/disable", data={"csrf_token": csrf})
        not_ours = await client.post(
            f"/vouchers/{foreign.json()['id']}/disable", data={"csrf_token": csrf}
        )
        no_csrf = await client.post(f"/vouchers/{made_id}/disable", data={})
        final = await client.get("/vouchers", params={"status": "disabled"})
    assert 'id="voucher-new"' in listing.text
    assert made.status_code == 303 and made.headers["location"] == "/vouchers"
    assert taken.status_code == 409 and "exists already" in taken.text
    assert no_amount.status_code == 422 and bad_code.status_code == 422
    assert bad_expiry.status_code == 422
    # A refused voucher comes back as sent, each refusal beside its field.
    assert 'id="voucher-code-error"' in taken.text and f'value="{code.lower()}"' in taken.text
    assert (
        'id="voucher-code-error"' in bad_code.text and 'value="spring promotion"' in bad_code.text
    )
    assert 'id="voucher-expires_at-error"' in bad_expiry.text and 'value="x"' in bad_expiry.text
    assert 'id="voucher-errors"' in no_amount.text and 'value="7.50"' not in no_amount.text
    assert unlimited.status_code == 303, unlimited.text
    assert "7.50 EUR" in after.text and "spring promotion" in after.text
    assert "15 %" in after.text and "0 / no limit" in after.text
    assert disabled.status_code == 303 and again.status_code == 303
    assert not_ours.status_code == 404 and no_csrf.status_code == 403
    assert code in final.text and "1 voucher," in final.text
    voucher = (await tenant.api.get(f"/vouchers/{made_id}")).json()
    assert (voucher["status"], voucher["amount"], voucher["max_redemptions"]) == (
        "disabled",
        "7.50",
        1,
    )
    assert voucher["expires_at"].startswith("2099-12-31T23:00:00")
    assert (await other_tenant.api.get(f"/vouchers/{foreign.json()['id']}")).json()[
        "status"
    ] == "active"
