"""A refused form or row button comes back as the page it was sent from, never the error page:
the edit forms with the input kept and each refusal beside its field (a stale revision above
the form), the row buttons with the refusal above the page (`dashboard/sent_from.py`). A caller
refused for its role still gets 403, another organization's row 404. And the ratchet: every
POST route of the dashboard has a page to come back to."""

import re

import httpx

from chargeyard.dashboard.rendering import DashboardRoute
from chargeyard.dashboard.routes import dashboard_routes
from chargeyard.dashboard.sent_from import page_route, paths_above
from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.dashboard.test_circuits import make_circuit
from tests.dashboard.test_maintenance_windows import planned
from tests.dashboard.test_subscriptions import new_driver, new_plan

ERROR_PAGE = 'href="/">Back to the overview</a>'

OWN_PAGE = {
    "/sign-out": "refuses only a caller (no session, a bad CSRF token: 401/403), never a rule",
    "/subscriptions/{subscription_id}/auto-renew": "answers on the subscription's driver's page",
    "/subscriptions/{subscription_id}/cancel": "answers on the subscription's driver's page",
}
"""POST routes that answer their refusals themselves (or have none to answer), and how."""


def test_every_post_route_has_a_page_to_come_back_to() -> None:
    """A new form whose path leads to no page (and is not listed with a reason) fails here:
    its refusals would reach the error page when the browser sends no Referer."""
    routes = dashboard_routes()
    posts = [r for r in routes if "POST" in getattr(r, "methods", ())]
    assert len(posts) > 80 and all(isinstance(r, DashboardRoute) for r in routes)
    pageless = []
    for route in posts:
        path = re.sub(r"\{[^}]+\}", "1", route.path)  # type: ignore[attr-defined]
        scopes = ({"type": "http", "path": p, "root_path": ""} for p in paths_above(path))
        if not any(page_route(routes, scope, DashboardRoute) for scope in scopes):
            pageless.append(route.path)  # type: ignore[attr-defined]
    assert sorted(pageless) == sorted(OWN_PAGE)


def refused_on_page(answer: httpx.Response, status: int, said: str) -> None:
    assert answer.status_code == status, answer.text
    assert ERROR_PAGE not in answer.text and said in answer.text


async def test_a_refused_circuit_setting_comes_back_as_sent(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    circuit = await make_circuit(tenant, max_power_kw=22)
    foreign = await make_circuit(other_tenant, max_power_kw=11)
    operator, viewer = await make_user(tenant, "operator"), await make_user(tenant, "viewer")
    settings = {"name": "Hall", "parent_id": "", "max_power_kw": "40", "phases": "3"}
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/circuits/{circuit}")
        form = {"csrf_token": hidden(page.text, "csrf_token"), "revision": "1"} | settings
        negative = await client.post(f"/circuits/{circuit}", data=form | {"buffer_kw": "-5"})
        saved = await client.post(f"/circuits/{circuit}", data=form)
        stale = await client.post(f"/circuits/{circuit}", data=form | {"name": "Again"})
        not_ours = await client.post(f"/circuits/{foreign}", data=form)
    async with browser_client(tenant, viewer) as client:
        page = await client.get(f"/circuits/{circuit}")
        refused = await client.post(
            f"/circuits/{circuit}", data=form | {"csrf_token": hidden(page.text, "csrf_token")}
        )
    refused_on_page(negative, 422, 'id="set-buffer_kw-error"')
    assert 'value="-5"' in negative.text and 'value="40"' in negative.text
    assert saved.status_code == 303
    refused_on_page(stale, 412, 'id="set-errors"')
    assert "changed since" in stale.text and 'value="Again"' in stale.text
    assert 'name="revision" value="1"' in stale.text  # the revision it was sent from
    assert not_ours.status_code == 404 and refused.status_code == 403
    assert (await tenant.api.get(f"/circuits/{circuit}")).json()["name"] == "Hall"


async def test_a_refused_placement_comes_back_beside_its_choice(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id = await register(tenant)
    theirs = await other_tenant.api.post("/locations", json={"name": "Theirs"})
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/stations/{station_id}")
        form = {"csrf_token": hidden(page.text, "csrf_token"), "revision": "0"}
        revision = hidden(page.text, "revision")
        elsewhere = await client.post(
            f"/stations/{station_id}/location",
            data=form | {"revision": revision, "location_id": theirs.json()["id"]},
        )
        stale = await client.post(f"/stations/{station_id}/location", data=form)
    refused_on_page(elsewhere, 422, 'id="place-location_id-error"')
    refused_on_page(stale, 412, 'id="place-errors"')
    assert f'id="station-id">{station_id}<' in stale.text


async def test_a_refused_move_opens_its_row_as_sent(tenant: Tenant, other_tenant: Tenant) -> None:
    station_id = await register(tenant)
    window = await planned(tenant, station_id=station_id, reason="cable")
    foreign = await planned(other_tenant, station_id=await register(other_tenant))
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get("/maintenance-windows")
        form = {"csrf_token": hidden(page.text, "csrf_token"), "revision": "1"}
        move = f"/maintenance-windows/{window['id']}"
        backwards = await client.post(move, data=form | {"ends_at": "2099-05-01T09:00"})
        not_a_time = await client.post(move, data=form | {"starts_at": "soon"})
        stale = await client.post(move, data=form | {"revision": "7"})
        not_ours = await client.post(f"/maintenance-windows/{foreign['id']}", data=form)
        cancelled = await client.post(f"{move}/delete", data=form)
        again = await client.post(f"{move}/delete", data=form)
        from_filtered = await client.post(
            f"{move}/delete",
            data=form,
            headers={"referer": f"{client.base_url}/maintenance-windows?when=all"},
        )
    prefix = f"move-{window['id']}"
    refused_on_page(backwards, 422, f'id="{prefix}-errors"')
    assert 'value="2099-05-01T09:00"' in backwards.text and "<details open>" in backwards.text
    refused_on_page(not_a_time, 422, f'id="{prefix}-starts_at-error"')
    assert 'value="soon"' in not_a_time.text
    refused_on_page(stale, 412, "changed since")
    refused_on_page(not_ours, 404, 'id="move-errors"')  # above the list: no row of ours
    assert cancelled.status_code == 303
    # A row button refused: the list with the refusal above it, or the page the form was on.
    refused_on_page(again, 404, 'id="refusal"')
    assert 'id="window-new"' in again.text
    refused_on_page(from_filtered, 404, 'id="refusal"')
    assert '<option value="all" selected>' in from_filtered.text


async def test_a_refused_plan_rename_and_subscription_button_come_back_on_their_page(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    plan = await new_plan(tenant, name="Gold", fee="0")
    foreign = await new_plan(other_tenant, name="Theirs", fee="0")
    driver_id = await new_driver(tenant)
    subscribed = await tenant.api.post(
        f"/drivers/{driver_id}/subscriptions", json={"plan_id": plan["id"]}
    )
    assert subscribed.status_code == 201, subscribed.text
    sub_id = subscribed.json()["id"]
    operator, viewer = await make_user(tenant, "operator"), await make_user(tenant, "viewer")
    async with browser_client(tenant, operator) as client:
        page = await client.get("/subscription-plans")
        csrf = {"csrf_token": hidden(page.text, "csrf_token")}
        too_long = await client.post(
            f"/subscription-plans/{plan['id']}", data=csrf | {"name": "G" * 201}
        )
        not_ours = await client.post(f"/subscription-plans/{foreign['id']}", data=csrf)
        cancelled = await client.post(f"/subscriptions/{sub_id}/cancel", data=csrf)
        again = await client.post(f"/subscriptions/{sub_id}/cancel", data=csrf)
        renew_ended = await client.post(
            f"/subscriptions/{sub_id}/auto-renew", data=csrf | {"auto_renew": "true"}
        )
    async with browser_client(tenant, viewer) as client:
        page = await client.get("/subscription-plans")
        refused = await client.post(
            f"/subscriptions/{sub_id}/cancel", data={"csrf_token": hidden(page.text, "csrf_token")}
        )
    refused_on_page(too_long, 422, f'id="plan-rename-{plan["id"]}-name-error"')
    assert f'value="{"G" * 201}"' in too_long.text
    assert not_ours.status_code == 404 and cancelled.status_code == 303
    refused_on_page(again, 409, 'id="refusal"')
    assert "canceled already" in again.text and f"/drivers/{driver_id}" in again.text
    refused_on_page(renew_ended, 409, 'id="refusal"')
    assert refused.status_code == 403


async def test_a_refused_alert_rule_and_policy_come_back_as_sent(tenant: Tenant) -> None:
    operator, admin = await make_user(tenant, "operator"), await make_user(tenant, "admin")
    async with browser_client(tenant, admin) as client:
        page = await client.get("/reconciliation")
        csrf = {"csrf_token": hidden(page.text, "csrf_token")}
        too_long = await client.post(
            "/reconciliation/policy", data=csrf | {"auto_close": "true", "reason": "R" * 33}
        )
        rules = await client.get("/alert-rules")
        low = await client.post(
            "/alert-rules/station-offline",
            data=csrf | {"enabled": "false", "urgency": "Low", "threshold_s": "0"},
        )
        unknown = await client.post("/alert-rules/no-such-rule", data=csrf)
    async with browser_client(tenant, operator) as client:
        page = await client.get("/reconciliation")
        refused = await client.post(
            "/reconciliation/policy",
            data={"csrf_token": hidden(page.text, "csrf_token"), "reason": "x"},
        )
    refused_on_page(too_long, 422, 'id="policy-reason-error"')
    assert f'value="{"R" * 33}"' in too_long.text
    assert '<option value="true" selected>' in too_long.text
    assert rules.status_code == 200
    refused_on_page(low, 422, 'id="station-offline-threshold_s-error"')
    assert 'value="0"' in low.text and '<option value="Low" selected>' in low.text
    refused_on_page(unknown, 404, 'id="refusal"')
    assert refused.status_code == 403
    policy = (await tenant.api.get("/reconciliation/policy")).json()
    assert policy["auto_close"] is False


async def test_a_refused_row_button_comes_back_as_its_list(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    """Row buttons whose route answers no refusal itself: deleting a row twice (another tab got
    there first) is 404 above the list the row was on; another organization's row is 404 too;
    a viewer's button is 403."""
    hook = await tenant.api.post(
        "/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["*"]}
    )
    template = await tenant.api.post(
        "/hardware-templates", json={"vendor": "Acme", "model": tenant.unique("m")}
    )
    theirs = await other_tenant.api.post(
        "/hardware-templates", json={"vendor": "Other", "model": "Theirs"}
    )
    admin, viewer = await make_user(tenant, "admin"), await make_user(tenant, "viewer")
    buttons = (
        (f"/webhooks/{hook.json()['id']}/delete", '<table id="webhooks">'),
        (f"/hardware-templates/{template.json()['id']}/delete", 'id="template-new"'),
    )
    async with browser_client(tenant, admin) as client:
        csrf = {"csrf_token": hidden((await client.get("/webhooks")).text, "csrf_token")}
        twice = [[await client.post(path, data=csrf) for _ in range(2)] for path, _ in buttons]
        not_ours = await client.post(f"/hardware-templates/{theirs.json()['id']}/delete", data=csrf)
    async with browser_client(tenant, viewer) as client:
        csrf = {"csrf_token": hidden((await client.get("/webhooks")).text, "csrf_token")}
        refused = await client.post(buttons[1][0], data=csrf)
    for (first, again), (_, list_form) in zip(twice, buttons, strict=True):
        assert first.status_code == 303
        refused_on_page(again, 404, 'id="refusal"')
        assert list_form in again.text
    refused_on_page(not_ours, 404, 'id="refusal"')
    assert "Theirs" not in not_ours.text
    assert refused.status_code == 403 and ERROR_PAGE in refused.text
