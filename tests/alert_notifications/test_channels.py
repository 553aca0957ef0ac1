"""The alert e-mail settings over REST: viewers read, admins configure, recipients validated,
rule names checked, organizations kept apart."""

from chargeyard.organizations.service import issue_token
from chargeyard.storage.database import Database
from tests.alert_notifications.conftest import address
from tests.conftest import Tenant


async def test_defaults_are_off_with_every_rule_listed(tenant: Tenant) -> None:
    response = await tenant.api.get("/alert-notifications")
    assert response.status_code == 200, response.text
    found = response.json()
    assert (found["enabled"], found["recipients"], found["available"]) == (False, [], False)
    assert found["window_s"] == 60.0
    assert {"name": "station-offline", "email": True, "recipients": None, "webhook": True} in found[
        "rules"
    ]


async def test_recipients_are_validated_normalised_and_kept_per_organization(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    ops = address(tenant)
    response = await tenant.api.patch(
        "/alert-notifications", json={"enabled": True, "recipients": [ops.upper(), f" {ops} "]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["recipients"] == [ops]
    for bad in (["not-an-address"], ["a@b.example\r\nBcc: x@evil.example"], ["A <a@b.example>"]):
        refused = await tenant.api.patch("/alert-notifications", json={"recipients": bad})
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    too_many = [f"p{n}@example.com" for n in range(51)]
    assert (
        await tenant.api.patch("/alert-notifications", json={"recipients": too_many})
    ).status_code == 422
    assert (
        await tenant.api.patch("/alert-notifications", json={"enabled": None})
    ).status_code == 422
    assert (
        await tenant.api.patch("/alert-notifications", json={"smtp_host": "x"})
    ).status_code == 422
    assert (await tenant.api.get("/alert-notifications")).json()["recipients"] == [ops]
    assert (await other_tenant.api.get("/alert-notifications")).json()["recipients"] == []


async def test_rule_choices_name_a_known_rule(tenant: Tenant) -> None:
    unknown = await tenant.api.patch(
        "/alert-notifications/rules/no-such-rule", json={"email": False}
    )
    assert unknown.status_code == 404
    bad = await tenant.api.patch(
        "/alert-notifications/rules/station-offline", json={"recipients": ["x"]}
    )
    assert bad.status_code == 422
    response = await tenant.api.patch(
        "/alert-notifications/rules/station-offline", json={"recipients": [address(tenant)]}
    )
    assert response.status_code == 200
    back = await tenant.api.patch(
        "/alert-notifications/rules/station-offline", json={"recipients": None, "webhook": True}
    )
    assert back.json() == {
        "name": "station-offline",
        "email": True,
        "recipients": None,
        "webhook": True,
    }
    events = (
        await tenant.api.get("/events", params={"type": "alert_notifications.updated"})
    ).json()
    assert {e["data"]["scope"] for e in events["items"]} == {"station-offline"}


async def test_viewers_read_and_operators_do_not_configure(tenant: Tenant) -> None:
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            viewer = await issue_token(uow.session, tenant.organization_id, "viewer", "v")
            operator = await issue_token(uow.session, tenant.organization_id, "operator", "o")
            await uow.commit()
    finally:
        await db.dispose()
    for token in (viewer.secret, operator.secret):
        headers = {"Authorization": f"Bearer {token}"}
        assert (await tenant.api.get("/alert-notifications", headers=headers)).status_code == 200
        assert (
            await tenant.api.get("/alert-notifications/digests", headers=headers)
        ).status_code == 200
        changed = await tenant.api.patch(
            "/alert-notifications", json={"enabled": True}, headers=headers
        )
        rule = await tenant.api.patch(
            "/alert-notifications/rules/station-offline", json={"email": False}, headers=headers
        )
        assert changed.status_code == 403 and rule.status_code == 403
    unauthenticated = await tenant.api.get("/alert-notifications", headers={"Authorization": ""})
    assert unauthenticated.status_code == 401
