"""Alert digests over a real SMTP server on loopback: a storm of offline stations is one
message naming every station, resolutions are a digest of their own, a rule can be taken off
e-mail or sent to other people, and the window is what gathers them (the clock is injected and
the mailer's rounds are driven one by one)."""

import re
from collections.abc import Callable

from chargeyard.alerts.domain import Raise, RuleName, Subject
from tests.alert_notifications.conftest import Rig, SmtpServer, address, body, configure, ready
from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user


async def digests(tenant: Tenant, **params: str) -> list[dict[str, object]]:
    response = await tenant.api.get("/alert-notifications/digests", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_storm_of_500_offline_stations_is_one_digest_naming_every_station(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(smtp.port, alerts_mail_max_listed=1000)
    ops, duty = address(tenant, "ops"), address(tenant, "duty")
    await configure(tenant, [ops, duty.upper()])
    mailer = await ready(rig)
    stations = [f"{tenant.unique('CP')}-{n:03d}" for n in range(500)]

    await rig.offline(tenant, stations[:300])
    await mailer.round()
    rig.clock.advance(30)
    await rig.offline(tenant, stations[300:])
    await mailer.round()
    assert smtp.mailbox.to(ops) == []  # the window has not passed since the first
    assert await digests(tenant) == []

    rig.clock.advance(30)
    await mailer.round()
    await mailer.round()  # nothing more to send
    messages = smtp.mailbox.to(ops)
    assert len(messages) == 1
    assert smtp.mailbox.to(duty) == messages  # one message to both (the address lower-cased)
    message = messages[0]
    assert message["Subject"].startswith("[Chargeyard] 500 alerts triggered (")
    assert message["From"] == "chargeyard@example.com"
    text = body(message)
    assert all(station in text for station in stations)
    assert "station-offline" in text and "more." not in text

    [sent] = await digests(tenant)
    assert (sent["status"], sent["kind"], sent["alerts"], sent["attempts"]) == (
        "Sent",
        "triggered",
        500,
        1,
    )
    assert sent["recipients"] == sorted([ops, duty])
    assert message["Message-ID"] == f"<alert-mail-{sent['id']}@example.com>"


async def test_a_digest_lists_up_to_its_cap_and_counts_the_rest(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(smtp.port, alerts_mail_max_listed=10, alerts_mail_window_s=0)
    ops = address(tenant)
    await configure(tenant, [ops])
    mailer = await ready(rig)
    await rig.offline(tenant, [tenant.unique("CP") for _ in range(25)])
    await mailer.round()
    [message] = smtp.mailbox.to(ops)
    text = body(message)
    assert text.count("\n- ") == 10
    assert "... and 15 more." in text


async def test_resolutions_are_a_digest_of_their_own(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(smtp.port)
    ops = address(tenant)
    await configure(tenant, [ops])
    mailer = await ready(rig)
    stations = [tenant.unique("CP") for _ in range(3)]
    await rig.offline(tenant, stations)
    await mailer.round()
    rig.clock.advance(60)
    await mailer.round()
    assert len(smtp.mailbox.to(ops)) == 1

    await rig.judge(tenant, rig.back(stations))
    await mailer.round()
    assert len(smtp.mailbox.to(ops)) == 1
    rig.clock.advance(60)
    await mailer.round()
    triggered, resolved = smtp.mailbox.to(ops)
    assert "3 alerts triggered" in triggered["Subject"]
    assert "3 alerts resolved" in resolved["Subject"]
    assert all(station in body(resolved) for station in stations)
    kinds = sorted(str(d["kind"]) for d in await digests(tenant, status="Sent"))
    assert kinds == ["resolved", "triggered"]


async def test_a_rule_taken_off_e_mail_is_not_mailed_and_a_rule_may_have_its_own_recipients(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(smtp.port, alerts_mail_window_s=0)
    ops, hardware = address(tenant, "ops"), address(tenant, "hardware")
    await configure(tenant, [ops])
    response = await tenant.api.patch(
        "/alert-notifications/rules/connector-unavailable", json={"email": False}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "name": "connector-unavailable",
        "email": False,
        "recipients": None,
        "webhook": True,
    }
    response = await tenant.api.patch(
        "/alert-notifications/rules/connector-faulted", json={"recipients": [hardware]}
    )
    assert response.json()["recipients"] == [hardware]
    mailer = await ready(rig)

    offline, faulted, unavailable = (tenant.unique(n) for n in ("OFF", "FLT", "UNA"))
    await rig.offline(tenant, [offline])
    at = rig.clock()
    await rig.judge(
        tenant,
        [
            Raise(RuleName.CONNECTOR_FAULTED, Subject(faulted, 1, 1), at),
            Raise(RuleName.CONNECTOR_UNAVAILABLE, Subject(unavailable, 1, 1), at),
        ],
    )
    await mailer.round()

    [to_ops] = smtp.mailbox.to(ops)
    [to_hardware] = smtp.mailbox.to(hardware)
    assert offline in body(to_ops) and faulted not in body(to_ops)
    assert faulted in body(to_hardware) and "EVSE 1, connector 1" in body(to_hardware)
    assert unavailable not in body(to_ops) + body(to_hardware)

    listed = (await tenant.api.get("/alert-notifications")).json()
    rules = {rule["name"]: rule for rule in listed["rules"]}
    assert rules["connector-unavailable"]["email"] is False
    assert rules["station-offline"] == {
        "name": "station-offline",
        "email": True,
        "recipients": None,
        "webhook": True,
    }


async def test_an_organization_without_e_mail_is_not_mailed(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(smtp.port, alerts_mail_window_s=0)
    ops = address(tenant)
    await configure(tenant, [ops])
    response = await tenant.api.patch("/alert-notifications", json={"enabled": False})
    assert response.json()["enabled"] is False and response.json()["recipients"] == [ops]
    mailer = await ready(rig)
    await rig.offline(tenant, [tenant.unique("CP")])
    await mailer.round()
    assert smtp.mailbox.to(ops) == []
    assert await digests(tenant) == []


async def test_the_html_digest_links_to_dashboard_pages_that_open(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    """With `dashboard_url` set, the HTML digest links the alert and the station to their
    dashboard pages, and a signed-in viewer following those links gets them."""
    base = tenant.server.base_url
    rig = rig_factory(smtp.port, alerts_mail_window_s=0, dashboard_url=f"{base}/")
    ops = address(tenant)
    await configure(tenant, [ops])
    mailer = await ready(rig)
    station_id = await register(tenant)
    await rig.offline(tenant, [station_id])
    await mailer.round()

    [message] = smtp.mailbox.to(ops)
    [alert] = (await tenant.api.get("/alerts", params={"station_id": station_id})).json()["items"]
    links = re.findall(r'href="([^"]+)"', body(message, "html"))
    assert links == [
        f"{base}/alerts/{alert['id']}",
        f"{base}/stations/{station_id}",
        f"{base}/alerts",
    ]
    assert f"{base}/alerts (and GET /api/v1/alerts)" in body(message)
    async with browser_client(tenant, await make_user(tenant, "viewer")) as browser:
        for link in links:
            page = await browser.get(link.removeprefix(base))
            assert page.status_code == 200, (link, page.text[:300])
            assert station_id in page.text, link
