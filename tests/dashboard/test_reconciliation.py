"""The stuck sessions page: overdue zombie sessions as `/api/v1/reconciliation` lists them, for
every role; operators close the ticked ones (a force stop each, the station's answer shown, an
id that is not overdue skipped), never all by a slip; admins alone set the automatic policy."""

from tests.cluster.leased_nodes import until
from tests.commands.conftest import Online, online, start_transaction
from tests.commands.test_stopping import accepted_tag
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_pages import report

__all__ = ["online"]


async def test_viewers_read_stuck_sessions_operators_close_them_admins_set_the_policy(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    rule = await tenant.api.patch("/alert-rules/session-zombie", json={"threshold_s": 1})
    assert rule.status_code == 200, rule.text
    tag = await accepted_tag(tenant)
    viewer, operator = await make_user(tenant, "viewer"), await make_user(tenant, "operator")
    admin = await make_user(tenant, "admin")
    async with online() as (_station_id, station):
        tx = await start_transaction(station, tag)
        await report(station, 1, "Available")

        async def listed() -> bool:
            found = await tenant.api.get("/reconciliation/zombie-sessions")
            return bool(found.json()["items"])

        await until(listed)
        async with browser_client(other_tenant, await make_user(other_tenant, "admin")) as client:
            theirs = await client.get("/reconciliation")
        async with browser_client(tenant, viewer) as client:
            seen = await client.get("/reconciliation")
            csrf = hidden(seen.text, "csrf_token")
            refused = await client.post(
                "/reconciliation/close",
                data={"csrf_token": csrf, "which": "all", "transaction_ids": str(tx)},
            )
            odd = [
                await client.get("/reconciliation", params={"threshold": t})
                for t in ("abc", "0", "99999999")
            ]
        async with browser_client(tenant, operator) as client:
            page = await client.get("/reconciliation")
            csrf = hidden(page.text, "csrf_token")
            nothing_ticked = await client.post(
                "/reconciliation/close", data={"csrf_token": csrf, "which": "selected"}
            )
            closed = await client.post(
                "/reconciliation/close",
                content=f"csrf_token={csrf}&which=selected&reason=StationGone"
                f"&transaction_ids={tx}&transaction_ids=987654321",
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
            policy_refused = await client.post(
                "/reconciliation/policy", data={"csrf_token": csrf, "auto_close": "true"}
            )
        async with browser_client(tenant, admin) as client:
            csrf = hidden((await client.get("/reconciliation")).text, "csrf_token")
            policy = await client.post(
                "/reconciliation/policy",
                data={"csrf_token": csrf, "auto_close": "true", "reason": "Forgotten"},
            )
            after = await client.get("/reconciliation")
    assert seen.status_code == 200 and f'id="zombie-{tx}"' in seen.text
    assert "connector Available" in seen.text and "Close ticked sessions" not in seen.text
    assert 'id="policy-form"' not in seen.text and refused.status_code == 403
    assert [r.status_code for r in odd] == [422, 422, 422]
    assert theirs.status_code == 200 and "No session is overdue." in theirs.text
    assert 'id="zombie-close"' in page.text and "Close ticked sessions" in page.text
    assert 'id="policy-form"' not in page.text and policy_refused.status_code == 403
    assert nothing_ticked.status_code == 422
    assert closed.status_code == 200 and "Closed: 1 session<" in closed.text
    assert "the station answered the stop with Accepted" in closed.text
    assert "Session 987654321 skipped: not an overdue zombie session" in closed.text
    assert f'id="zombie-{tx}"' not in closed.text
    assert station.calls("RemoteStopTransaction") == [{"transactionId": tx}]
    session = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert (session["stop_reason"], session["force_stopped"]) == ("StationGone", True)
    assert policy.status_code == 303 and "On: overdue sessions are closed" in after.text
    assert (await tenant.api.get("/reconciliation/policy")).json()["reason"] == "Forgotten"
    assert (await other_tenant.api.get("/reconciliation/policy")).json()["auto_close"] is False
