"""Delivery when SMTP fails: the digest waits (backoff, the error recorded), is sent once the
server is up, exactly once across a restarted mailer; a digest is given up after the last
attempt with an `alert_mail.failed` event; two mailers (two nodes) send once."""

from collections.abc import Callable

from chargeyard.alert_notifications.mailer import LEASE
from chargeyard.cluster.leases import LeaseKeeper
from tests.alert_notifications.conftest import Rig, SmtpServer, address, body, configure, ready
from tests.conftest import Tenant
from tests.support.server import free_port


async def test_smtp_down_then_up_delivers_the_digest_once(
    tenant: Tenant, rig_factory: Callable[..., Rig]
) -> None:
    port = free_port()  # nothing listens yet: the SMTP server is down
    rig = rig_factory(port, alerts_mail_window_s=0, alerts_mail_retry_s=30)
    ops = address(tenant)
    await configure(tenant, [ops])
    mailer = await ready(rig)
    station = tenant.unique("CP")
    await rig.offline(tenant, [station])

    await mailer.round()
    [waiting] = (await tenant.api.get("/alert-notifications/digests")).json()["items"]
    assert (waiting["status"], waiting["attempts"]) == ("Pending", 1)
    assert "Error" in waiting["last_error"] or "refused" in waiting["last_error"].lower()
    first_retry = waiting["next_attempt_at"]

    rig.clock.advance(30)
    await mailer.round()  # still down: the wait doubles
    [waiting] = (await tenant.api.get("/alert-notifications/digests")).json()["items"]
    assert waiting["attempts"] == 2 and waiting["next_attempt_at"] > first_retry

    smtp = SmtpServer(port)
    smtp.start()
    try:
        await mailer.round()  # up, but the retry is not due yet
        assert smtp.mailbox.to(ops) == []
        rig.clock.advance(60)
        await mailer.round()
        restarted = rig.mailer()  # a new worker on the same database repeats nothing
        await restarted.round()
        rig.clock.advance(3600)
        await restarted.round()
        [message] = smtp.mailbox.to(ops)
        assert station in body(message)
        [sent] = (await tenant.api.get("/alert-notifications/digests")).json()["items"]
        assert (sent["status"], sent["attempts"], sent["last_error"]) == ("Sent", 3, None)
    finally:
        smtp.stop()


async def test_a_digest_is_given_up_after_the_last_attempt_with_an_event(
    tenant: Tenant, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(free_port(), alerts_mail_window_s=0, alerts_mail_max_attempts=2)
    await configure(tenant, [address(tenant)])
    mailer = await ready(rig)
    await rig.offline(tenant, [tenant.unique("CP")])
    await mailer.round()
    rig.clock.advance(3600)
    await mailer.round()
    [failed] = (
        await tenant.api.get("/alert-notifications/digests", params={"status": "Failed"})
    ).json()["items"]
    assert (failed["attempts"], failed["next_attempt_at"]) == (2, None)
    events = (await tenant.api.get("/events", params={"type": "alert_mail.failed"})).json()
    [event] = [e for e in events["items"] if e["type"] == "alert_mail.failed"]
    assert event["data"]["mail_id"] == failed["id"] and event["data"]["attempts"] == 2


async def test_only_the_lease_holder_mails(
    tenant: Tenant, smtp: SmtpServer, rig_factory: Callable[..., Rig]
) -> None:
    rig = rig_factory(smtp.port, alerts_mail_window_s=0)
    ops = address(tenant)
    await configure(tenant, [ops])
    mailer = await ready(rig)
    other_node = type(mailer)(
        rig.db, rig.clock, LeaseKeeper(rig.db, "mail-test-other-node", 30.0), rig.settings
    )
    await rig.offline(tenant, [tenant.unique("CP")])
    await other_node.round()  # refused the lease: does nothing
    assert not other_node.leases.holds(LEASE)
    await mailer.round()
    await other_node.round()
    assert len(smtp.mailbox.to(ops)) == 1
