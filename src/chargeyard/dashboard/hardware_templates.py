"""Hardware templates as `/api/v1/hardware-templates` has them: the EVSE and connector layout of
a vendor's model, which stations of that model get when they first boot. They are the
organization's catalogue: operators and admins of the whole organization create, change and
delete them; any operator lays a changed template out again on its stations (a site-scoped one
on its own only, as in the REST API), previewing first (the REST API's `dry_run`). Forms go
through `HardwareTemplateService` with the REST API's body models, so a form obeys the same
rules as a JSON body: a vendor and model taken by another template is 409, a broken layout 422,
an EVSE in use is kept and listed."""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.form_handling import (
    FormSender,
    as_shown,
    form_sender,
    page_slice,
    paging,
    see_other,
)
from chargeyard.dashboard.layout_form import (
    CHOICES,
    LABELS,
    TemplateForm,
    edited,
    layout_body,
    refusals,
    rows_from_form,
    rows_of,
)
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Conflict, Invalid, PreconditionFailed
from chargeyard.hardware_templates.models import HardwareTemplate
from chargeyard.hardware_templates.repository import HardwareTemplateRepository
from chargeyard.hardware_templates.schemas import (
    HardwareTemplateCreate,
    HardwareTemplatePatch,
    ReapplyIn,
    stored_layout,
)
from chargeyard.hardware_templates.service import HardwareTemplateService, Reapplied
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.scope import site_scope_of
from chargeyard.site_scopes.service import check_whole_organization

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

EXAMPLE_LAYOUT = [
    {
        "evse_id": 1,
        "connectors": [
            {
                "connector_id": 1,
                "standard": "IEC_62196_T2",
                "format": "SOCKET",
                "power_type": "AC_3_PHASE",
                "max_voltage": 230,
                "max_amperage": 32,
            }
        ],
    }
]
"""What the new-template form starts with: one EVSE, one Type 2 socket."""
PLAIN_FIELDS = ("vendor", "model", "name", "revision")
REFUSED = (Invalid, Conflict, PreconditionFailed)
"""What the form answers on itself, everything typed kept: a broken rule (422), a vendor and
model taken (409), a template changed meanwhile (412)."""


def _form_context(form: TemplateForm) -> dict[str, Any]:
    return {"form": form, "choices": CHOICES, "labels": LABELS}


def _sent(sender: FormSender) -> TemplateForm:
    """The form as it was sent, to draw again."""
    values = {name: sender.fields.get(name, "") for name in PLAIN_FIELDS}
    return TemplateForm(values, rows_from_form(sender.fields))


def _rows_edited(form: TemplateForm, action: str) -> TemplateForm:
    rows, focus = edited(form.rows, action)
    return TemplateForm(form.values, rows, focus=focus)


def _context(caller: SignedIn) -> dict[str, Any]:
    """The pages' base context; `may_edit_templates`: the catalogue's forms (new, change,
    delete) are offered only to an operator of the whole organization."""
    scoped = site_scope_of(caller.principal.organization_id) is not None
    context = base_context(caller, "stations")
    return context | {"may_edit_templates": context["may_act"] and not scoped}


def _catalogue_sender(acting: tuple[SignedIn, dict[str, str]]) -> FormSender:
    """The sender of a form that changes the catalogue: an operator of the whole organization
    (403 for a site-scoped one, as `OrganizationOperator` answers in the REST API)."""
    sender = form_sender(acting)
    check_whole_organization(sender.caller)
    return sender


@router.get("/hardware-templates")
async def hardware_templates(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    blank = TemplateForm({}, rows_of(EXAMPLE_LAYOUT))
    return await _templates_page(request, caller, ctx, page, blank)


async def _templates_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    page: int,
    form: TemplateForm,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        found = await HardwareTemplateRepository(
            uow.session, caller.principal.organization_id
        ).search(page_slice(page))
    context = (
        _context(caller)
        | paging(found.total, page)
        | {"templates": found.items}
        | _form_context(form)
    )
    return render(request, "hardware_templates.html", context, status_code)


def _template_page(
    request: Request,
    caller: SignedIn,
    template: HardwareTemplate,
    result: tuple[bool, list[Reapplied]] | None = None,
    form: TemplateForm | None = None,
    status_code: int = 200,
) -> Response:
    """A template's page; its edit form holds the template, or `form` as sent."""
    if form is None:
        values = {"vendor": template.vendor, "model": template.model, "name": template.name}
        revision = {"revision": str(template.revision)}
        form = TemplateForm(
            {k: v or "" for k, v in values.items()} | revision, rows_of(template.evses)
        )
    context: dict[str, Any] = _context(caller) | {
        "template": template,
        "result": result,
    }
    return render(request, "hardware_template.html", context | _form_context(form), status_code)


async def _template(ctx: ServerContext, organization_id: str, template_id: str) -> HardwareTemplate:
    async with ctx.db.reading() as uow:
        return await HardwareTemplateRepository(uow.session, organization_id).get(template_id)


@router.get("/hardware-templates/{template_id}")
async def hardware_template(
    request: Request, template_id: str, caller: PageCaller, ctx: Server
) -> Response:
    template = await _template(ctx, caller.principal.organization_id, template_id)
    return _template_page(request, caller, template)


@router.post("/hardware-templates")
async def create_hardware_template(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new template form (operator and up): `POST /api/v1/hardware-templates`. A row
    button (`layout_action`) draws the form again with the row added or removed; a refusal
    draws it with what is wrong beside each field."""
    sender = _catalogue_sender(acting)
    form = _sent(sender)
    if action := sender.fields.get("layout_action"):
        return await _templates_page(request, acting[0], ctx, 1, _rows_edited(form, action))
    try:
        body = sender.body(HardwareTemplateCreate, evses=layout_body(form.rows))
        async with sender.writing(ctx) as uow:
            template = await HardwareTemplateService(uow, sender.organization_id, ctx.clock).create(
                body.vendor, body.model, body.name, stored_layout(body.evses)
            )
    except REFUSED as refused:
        form = TemplateForm(form.values, form.rows, refusals(refused), focus="errors")
        return await _templates_page(request, acting[0], ctx, 1, form, refused.status)
    return see_other(f"/hardware-templates/{template.id}")


@router.post("/hardware-templates/{template_id}")
async def change_hardware_template(
    request: Request, template_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/hardware-templates/{id}` with every
    field (an emptied name is removed), guarded by the revision the page showed (412 when the
    template changed meanwhile). Stations keep their layout until it is laid out again. Row
    buttons and refusals draw the page again with the form as sent."""
    sender = _catalogue_sender(acting)
    form = _sent(sender)
    if action := sender.fields.get("layout_action"):
        template = await _template(ctx, sender.organization_id, template_id)
        return _template_page(request, acting[0], template, form=_rows_edited(form, action))
    try:
        body = sender.body(
            HardwareTemplatePatch,
            name=sender.fields.get("name", "").strip() or None,
            evses=layout_body(form.rows),
        )
        changes = body.model_dump(exclude_unset=True)
        if body.evses is not None:
            changes["evses"] = stored_layout(body.evses)
        async with sender.writing(ctx) as uow:
            service = HardwareTemplateService(uow, sender.organization_id, ctx.clock)
            template = await as_shown(service.templates, template_id, sender.fields, "template")
            await service.update(template, changes)
    except REFUSED as refused:
        template = await _template(ctx, sender.organization_id, template_id)
        form = TemplateForm(form.values, form.rows, refusals(refused), focus="errors")
        return _template_page(request, acting[0], template, form=form, status_code=refused.status)
    return see_other(f"/hardware-templates/{template_id}")


@router.post("/hardware-templates/{template_id}/apply")
async def apply_hardware_template(
    request: Request, template_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """Lay the template out again (operator and up): `POST /api/v1/hardware-templates/{id}/
    apply`, on the stations typed in (none: every station of the model). "Preview" is its
    `dry_run`: the page lists what would change and changes nothing; "Apply" makes the changes
    (except on an EVSE in use) and lists them. The answer is the template's page with the list;
    applying again changes nothing more."""
    sender = form_sender(acting)
    station_ids = sender.fields.get("station_ids", "").replace(",", " ").split()
    body = sender.body(
        ReapplyIn,
        station_ids=station_ids or None,
        dry_run=sender.fields.get("dry_run") == "1",
    )
    async with ctx.db.writing() as uow:
        service = HardwareTemplateService(uow, sender.organization_id, ctx.clock)
        template = await service.templates.get(template_id)
        done = await service.reapply(template, body.station_ids, body.dry_run)
        if not body.dry_run:
            await uow.commit()
    return _template_page(request, acting[0], template, (body.dry_run, done))


@router.post("/hardware-templates/{template_id}/delete")
async def delete_hardware_template(template_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/hardware-templates/{id}` (operator and up); stations keep their layout."""
    sender = _catalogue_sender(acting)
    async with sender.writing(ctx) as uow:
        service = HardwareTemplateService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.templates.get(template_id))
    return see_other("/hardware-templates")
