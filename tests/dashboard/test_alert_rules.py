"""The alert rules page over HTTP: every rule with the organization's settings; an operator
switches a rule off and changes its urgency and threshold, and empties them back to the
defaults, with the REST API's rules; a viewer sees no form and gets 403."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


def rule(rules: list[dict[str, object]], name: str) -> dict[str, object]:
    return next(r for r in rules if r["name"] == name)


async def test_an_operator_changes_a_rule_and_puts_its_defaults_back(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, operator) as client:
        page = await client.get("/alert-rules")
        csrf = hidden(page.text, "csrf_token")
        path = "/alert-rules/station-offline"
        changed = await client.post(
            path,
            data={"csrf_token": csrf, "enabled": "false", "urgency": "Low", "threshold_s": "600"},
        )
        after = (await tenant.api.get("/alert-rules")).json()
        theirs = rule((await other_tenant.api.get("/alert-rules")).json(), "station-offline")
        no_threshold = await client.post(
            "/alert-rules/connector-faulted",
            data={"csrf_token": csrf, "enabled": "true", "urgency": "", "threshold_s": "60"},
        )
        bad_urgency = await client.post(path, data={"csrf_token": csrf, "urgency": "Urgent"})
        unknown = await client.post("/alert-rules/no-such-rule", data={"csrf_token": csrf})
        defaults = await client.post(
            path, data={"csrf_token": csrf, "enabled": "true", "urgency": "", "threshold_s": ""}
        )
        shown = await client.get("/alert-rules")
    async with browser_client(tenant, viewer) as client:
        viewer_page = await client.get("/alert-rules")
        refused = await client.post(
            path, data={"csrf_token": hidden(viewer_page.text, "csrf_token"), "enabled": "false"}
        )
    assert page.status_code == 200 and 'id="rule-station-offline"' in page.text
    assert changed.status_code == 303
    offline = rule(after, "station-offline")
    assert (offline["enabled"], offline["urgency"], offline["threshold_s"]) == (False, "Low", 600)
    assert no_threshold.status_code == 422 and "has no threshold" in no_threshold.text
    assert bad_urgency.status_code == 422
    assert unknown.status_code == 404
    assert defaults.status_code == 303
    back = rule((await tenant.api.get("/alert-rules")).json(), "station-offline")
    assert back["enabled"] is True
    assert (back["urgency"], back["threshold_s"]) == (
        back["default_urgency"],
        back["default_threshold_s"],
    )
    assert 'data-rule-enabled="station-offline">on' in shown.text
    assert 'action="/alert-rules/' not in viewer_page.text and refused.status_code == 403
    assert theirs["enabled"] is True and theirs["urgency"] == theirs["default_urgency"]
