"""Alert rules as `/api/v1/alert-rules` has them: the catalogue's rules with this
organization's settings (every role), and for operators and admins a form per rule that
switches it on or off and sets its urgency and threshold (an emptied field puts the rule's
default back), through `AlertService.update_rule` with the REST API's `AlertRulePatch`."""

from functools import partial

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.alerts.domain import RuleSettings, Urgency
from chargeyard.alerts.schemas import AlertRulePatch
from chargeyard.alerts.service import AlertService
from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import refused_on_page
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Conflict, Invalid, PreconditionFailed
from chargeyard.organizations.domain import Role

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

URGENCIES = tuple(u.value for u in Urgency)
DEFAULTABLE = ("urgency", "threshold_s")
"""Settings an emptied field puts back to the rule's default (PATCH with null)."""


LABELS = {"enabled": "Raise alerts", "urgency": "Urgency", "threshold_s": "After (seconds)"}
"""A rule's form, its controls by what its list of refusals calls them."""


def rule_form(settings: RuleSettings) -> FieldForm:
    """A rule's form as the organization has it set (empty: the rule's default)."""
    values = {
        "enabled": "true" if settings.enabled else "false",
        "urgency": settings.urgency.value if settings.urgency else "",
        "threshold_s": "" if settings.threshold_s is None else str(settings.threshold_s),
    }
    return FieldForm(values, labels=LABELS)


@router.get("/alert-rules")
async def alert_rules(request: Request, caller: PageCaller, ctx: Server) -> Response:
    async with ctx.db.reading() as uow:
        rules = await AlertService(uow, caller.principal.organization_id, ctx.clock).rules()
    context = base_context(caller, "alerts") | {
        "rules": rules,
        "urgency_choices": [(u, u) for u in URGENCIES],
        "forms": {s.rule.name.value: rule_form(s) for s in rules},
        "rule_name": "",
    }
    return render(request, "alert_rules.html", context)


@router.post("/alert-rules/{name}")
async def change_alert_rule(
    request: Request, name: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`PATCH /api/v1/alert-rules/{name}` (operator and up); a refused rule (a threshold out
    of its bounds) comes back on the page with its form as sent, the refusal beside its field.
    An unknown rule is 404."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    sent: dict[str, object] = {k: v for k, v in fields.items() if k in AlertRulePatch.model_fields}
    for setting in DEFAULTABLE:
        if sent.get(setting) == "":
            sent[setting] = None
    try:
        body = validated(AlertRulePatch, sent)
        async with ctx.db.writing() as uow:
            await AlertService(uow, caller.organization_id, ctx.clock).update_rule(
                name, body.model_dump(exclude_unset=True)
            )
            await uow.commit()
    except (Invalid, Conflict, PreconditionFailed) as refusal:
        form = refused(fields, LABELS, refusal, "threshold_s")
        page = partial(alert_rules, request, signed_in, ctx)
        return await refused_on_page(request, refusal, page, rule_form=form, rule_name=name)
    return RedirectResponse(f"/alert-rules#rule-{name}", status.HTTP_303_SEE_OTHER)
