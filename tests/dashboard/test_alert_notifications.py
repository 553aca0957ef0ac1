"""The alert notifications page over HTTP: every role reads the e-mail channel and each rule's
choices; an admin changes them with the REST API's rules, a refused form coming back as sent with
the refusal beside its field; operators and viewers see no form and get 403; the digests are the
organization's own, and a site-confined user does not see them."""

from chargeyard.alert_notifications.models import AlertMail
from chargeyard.alert_notifications.repository import add_mail
from chargeyard.clock import utcnow
from chargeyard.storage.base import new_id
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def a_digest(tenant: Tenant, subject: str, status: str) -> None:
    """A digest of the tenant's, as the mailer stores one."""
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            add_mail(
                uow.session,
                AlertMail(
                    id=new_id(),
                    organization_id=tenant.organization_id,
                    kind="triggered",
                    recipients=["ops@example.com"],
                    subject=subject,
                    body=f"{subject}\n\nCY-1 went offline",
                    html=None,
                    alerts=1,
                    status=status,
                    attempts=0 if status == "Pending" else 1,
                    next_attempt_at=utcnow() if status == "Pending" else None,
                    revision=1,
                ),
            )
            await uow.commit()
    finally:
        await db.dispose()


async def test_an_admin_sets_who_is_mailed_by_the_rest_rules(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    admin = await make_user(tenant, "admin")
    async with browser_client(tenant, admin) as client:
        page = await client.get("/alert-notifications")
        csrf = hidden(page.text, "csrf_token")
        channel = await client.post(
            "/alert-notifications",
            data={
                "csrf_token": csrf,
                "enabled": "true",
                "recipients": "Ops@Example.com, night@example.com\nops@example.com",
            },
        )
        bad_address = await client.post(
            "/alert-notifications",
            data={"csrf_token": csrf, "enabled": "false", "recipients": "ops@example.com nobody"},
        )
        too_short = await client.post(
            "/alert-notifications",
            data={"csrf_token": csrf, "enabled": "true", "recipients": "ok@example.com a"},
        )
        bad_choice = await client.post(
            "/alert-notifications", data={"csrf_token": csrf, "enabled": "maybe"}
        )
        rule = await client.post(
            "/alert-notifications/rules/station-offline",
            data={
                "csrf_token": csrf,
                "email": "true",
                "recipients": "field@example.com",
                "webhook": "false",
            },
        )
        quiet = await client.post(
            "/alert-notifications/rules/connector-faulted",
            data={"csrf_token": csrf, "email": "false", "recipients": "", "webhook": "true"},
        )
        unknown = await client.post(
            "/alert-notifications/rules/no-such-rule", data={"csrf_token": csrf, "email": "true"}
        )
        shown = await client.get("/alert-notifications")
    settings = (await tenant.api.get("/alert-notifications")).json()
    theirs = (await other_tenant.api.get("/alert-notifications")).json()
    rules = {r["name"]: r for r in settings["rules"]}

    assert page.status_code == 200 and 'id="channel-form"' in page.text
    assert channel.status_code == 303
    assert settings["enabled"] is True
    assert settings["recipients"] == ["night@example.com", "ops@example.com"]
    # The service's refusal lands beside the recipients, with what was typed kept.
    assert bad_address.status_code == 422
    assert 'id="channel-recipients-error"' in bad_address.text
    assert "not an e-mail address: &#39;nobody&#39;" in bad_address.text
    assert "ops@example.com nobody</textarea>" in bad_address.text
    # The body model's refusal of one address names it.
    assert too_short.status_code == 422 and "item 2: " in (too_short.text)
    assert bad_choice.status_code == 422 and 'id="channel-enabled-error"' in bad_choice.text
    assert rule.status_code == 303 and quiet.status_code == 303 and unknown.status_code == 404
    offline = rules["station-offline"]
    assert (offline["email"], offline["recipients"], offline["webhook"]) == (
        True,
        ["field@example.com"],
        False,
    )
    faulted = rules["connector-faulted"]
    assert (faulted["email"], faulted["recipients"]) == (False, None)
    assert 'data-rule-recipients="station-offline">field@example.com' in shown.text
    assert 'data-rule-recipients="connector-faulted">the organization\'s' in shown.text
    assert theirs["enabled"] is False and theirs["recipients"] == []


async def test_operators_and_viewers_read_only_and_digests_stay_with_the_organization(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    await a_digest(tenant, "1 alert raised", "Sent")
    await a_digest(tenant, "2 alerts raised", "Pending")
    await a_digest(other_tenant, "Their digest", "Sent")
    site = await tenant.api.post("/locations", json={"name": "North"})
    viewer = await make_user(tenant, "viewer")
    operator = await make_user(tenant, "operator")
    confined = await make_user(tenant, "viewer")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site.json()["id"]]})
    answers = {}
    for user in (viewer, operator):
        async with browser_client(tenant, user) as client:
            page = await client.get("/alert-notifications")
            csrf = hidden(page.text, "csrf_token")
            refused = await client.post(
                "/alert-notifications", data={"csrf_token": csrf, "enabled": "true"}
            )
            rule = await client.post(
                "/alert-notifications/rules/station-offline",
                data={"csrf_token": csrf, "email": "false"},
            )
            answers[user.email] = (page, refused.status_code, rule.status_code)
        async with browser_client(tenant, viewer) as client:
            pending = await client.get("/alert-notifications", params={"status": "Pending"})
            bad_status = await client.get("/alert-notifications", params={"status": "Lost"})
    async with browser_client(tenant, confined) as client:
        narrowed = await client.get("/alert-notifications")

    for page, refused, rule in answers.values():
        assert page.status_code == 200
        assert 'method="post" action="/alert-notifications' not in page.text
        assert (refused, rule) == (403, 403)
        assert "1 alert raised" in page.text and "2 alerts raised" in page.text
        assert "Their digest" not in page.text
    assert "2 alerts raised" in pending.text and "1 alert raised" not in pending.text
    assert bad_status.status_code == 422
    assert narrowed.status_code == 200 and 'id="rule-channels"' in narrowed.text
    assert "1 alert raised" not in narrowed.text and "does not see them" in narrowed.text
    assert (await tenant.api.get("/alert-notifications")).json()["enabled"] is False
