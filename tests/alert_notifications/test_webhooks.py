"""Webhooks as an alert channel: they carry every alert event (as before), except those of a
rule the organization took off webhooks. Both alerts here concern one station, whose webhook
deliveries are sent in commit order: once the later alert's event has arrived, the earlier one
would have arrived before it."""

from chargeyard.alerts.domain import Raise, RuleName, Subject
from chargeyard.alerts.service import Judgement
from chargeyard.clock import utcnow
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver


async def raise_alert(tenant: Tenant, rule: RuleName, station_id: str) -> None:
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            verdict = Raise(rule, Subject(station_id, 1, 1), utcnow())
            await Judgement(uow, utcnow).apply([(tenant.organization_id, verdict)])
            await uow.commit()
    finally:
        await db.dispose()


def alerts_of(receiver: Receiver) -> list[str]:
    return [r.json["data"]["name"] for r in receiver.delivered("alert.triggered")]


async def test_a_rule_taken_off_webhooks_is_not_delivered_and_the_others_are(
    hooks: Tenant, receiver: Receiver
) -> None:
    await subscribe(hooks, receiver.url, ["alert.*"])
    response = await hooks.api.patch(
        "/alert-notifications/rules/connector-unavailable", json={"webhook": False}
    )
    assert response.status_code == 200, response.text
    assert response.json()["webhook"] is False
    station_id = hooks.unique("CP")

    await raise_alert(hooks, RuleName.CONNECTOR_UNAVAILABLE, station_id)
    await raise_alert(hooks, RuleName.CONNECTOR_FAULTED, station_id)
    await receiver.wait_for(lambda: "connector-faulted" in alerts_of(receiver))
    assert alerts_of(receiver) == ["connector-faulted"]

    # Back on webhooks: delivered again.
    await hooks.api.patch(
        "/alert-notifications/rules/connector-unavailable", json={"webhook": True}
    )
    other = hooks.unique("CP")
    await raise_alert(hooks, RuleName.CONNECTOR_UNAVAILABLE, other)
    await receiver.wait_for(lambda: "connector-unavailable" in alerts_of(receiver))
