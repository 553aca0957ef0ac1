"""A 2.x station's device model as `/api/v1/stations/{id}/device-model` lists it: the variables
of its components as the station last reported them, filtered by component and variable.

Every role reads it (a site-confined user for the stations of their sites only: the station and
the rows are read through the scoped repositories, so any other station is 404). Operators and
admins set a variable with the same `set-variables` command as
`POST /api/v1/stations/{id}/commands/set-variables`, its one setting checked by the REST API's
`VariableSettingIn` (a refused value comes back beside its field), and ask for a fresh report
(`get-base-report`): the table holds what the station reported, so a value set shows here once
the station reports it again. The page says the station's answer. A station password
(`BasicAuthPassword`) is never shown back in the form.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.commands.catalog import SPECS
from chargeyard.commands.device_management import AttributeType
from chargeyard.commands.device_schemas import SetVariablesIn, VariableSettingIn
from chargeyard.commands.runner import Request as CommandRequest
from chargeyard.dashboard.actions import answered
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import page_slice, paging
from chargeyard.dashboard.forms import FormInvalid, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.device_model.models import DeviceVariable
from chargeyard.device_model.repository import DeviceModelRepository, VariableFilter
from chargeyard.organizations.domain import Role
from chargeyard.security.station_secrets import is_station_secret
from chargeyard.server_context import ServerContext
from chargeyard.stations.repository import StationRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "component": "Component",
    "component_instance": "Component instance",
    "evse_id": "EVSE",
    "connector_id": "Connector",
    "variable": "Variable",
    "variable_instance": "Variable instance",
    "attribute": "Attribute",
    "value": "Value",
}
ATTRIBUTES = [("", "Actual (the default)")] + [(a.value, a.value) for a in AttributeType]
SET_VARIABLES = next(spec for spec in SPECS if spec.name == "set-variables")
GET_BASE_REPORT = next(spec for spec in SPECS if spec.name == "get-base-report")


def _prefilled(row: DeviceVariable) -> FieldForm:
    """The setting form for one reported variable attribute, its value as reported."""
    values = {
        "component": row.component_name,
        "component_instance": row.component_instance or "",
        "evse_id": "" if row.evse_id is None else str(row.evse_id),
        "connector_id": "" if row.connector_id is None else str(row.connector_id),
        "variable": row.variable_name,
        "variable_instance": row.variable_instance or "",
        "attribute": "" if row.attribute_type == "Actual" else row.attribute_type,
        "value": row.value or "",
    }
    return FieldForm(_unsaid(values), labels=LABELS)


def _unsaid(values: dict[str, str]) -> dict[str, str]:
    """A form's values with a station password's left empty: never shown back (the stored
    copy is masked, and a value typed is not echoed)."""
    return values | {"value": ""} if is_station_secret(values.get("variable", "")) else values


async def _page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    station_id: str,
    shown: dict[str, Any],
    form: FieldForm | None = None,
    result: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; `shown` holds the filter (component, variable, page) and `edit`, the id of
    the row whose setting form the page offers."""
    organization_id = caller.principal.organization_id
    where = VariableFilter(component=shown["component"] or None, variable=shown["variable"] or None)
    async with ctx.db.reading() as uow:
        station = await StationRepository(uow.session, organization_id).get(station_id)
        rows = DeviceModelRepository(uow.session, organization_id)
        found = await rows.variables(station_id, where, page_slice(shown["page"]))
        components = await rows.component_names(station_id)
        editing = await rows.find(shown["edit"]) if shown["edit"] else None
    if form is None:
        here = editing is not None and editing.station_id == station_id
        form = _prefilled(editing) if editing is not None and here else FieldForm(labels=LABELS)
    context = base_context(caller, "stations") | paging(found.total, shown["page"])
    context |= {
        "station": station,
        "variables": found.items,
        "components": components,
        "component": shown["component"],
        "variable": shown["variable"],
        "may_set": context["may_act"] and (station.protocol or "").startswith("ocpp2"),
        "form": form,
        "attributes": ATTRIBUTES,
        "result": result,
        "station_id": station_id,
    }
    return render(request, "device_model.html", context, status_code)


def _shown(component: str = "") -> dict[str, Any]:
    """What a page answering a form shows: the component the form was about, if any."""
    return {"component": component, "variable": "", "page": 1, "edit": None}


@router.get("/stations/{station_id}/device-model")
async def device_model(
    request: Request,
    station_id: str,
    caller: PageCaller,
    ctx: Server,
    component: str = "",
    variable: str = "",
    edit: int | None = None,
    page: PageNumber = 1,
) -> Response:
    shown = {"component": component, "variable": variable, "page": page, "edit": edit}
    return await _page(request, caller, ctx, station_id, shown)


async def _send(
    request: Request,
    ctx: ServerContext,
    acting: tuple[SignedIn, dict[str, str]],
    station_id: str,
    name: str,
    command: CommandRequest,
    form: FieldForm | None = None,
) -> Response:
    """Send `command` to the station and show its answer on the page (as the station page's
    `actions.run` does, with the REST API's status for the same outcome)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    result, code = await answered(request, caller, station_id, name, lambda: command)
    shown = _shown(fields.get("component", "").strip())
    return await _page(request, signed_in, ctx, station_id, shown, form, result, code)


@router.post("/stations/{station_id}/device-model/set")
async def set_variable(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`set-variables` with the one setting the form holds, checked by `VariableSettingIn`."""
    signed_in, fields = acting
    check_role(signed_in.principal, Role.OPERATOR)
    sent = {name: fields.get(name, "").strip() for name in LABELS} | {
        "value": fields.get("value", "")
    }
    try:
        setting = validated(VariableSettingIn, sent)
    except FormInvalid as refusal:
        form = refused(_unsaid(fields), LABELS, refusal)
        return await _page(
            request, signed_in, ctx, station_id, _shown(), form, status_code=refusal.status
        )
    command = SET_VARIABLES.request(SetVariablesIn(variables=[setting]))
    form = FieldForm(_unsaid(sent), labels=LABELS)
    return await _send(request, ctx, acting, station_id, SET_VARIABLES.name, command, form)


@router.post("/stations/{station_id}/device-model/report")
async def ask_for_report(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`get-base-report` for the whole inventory: the station reports its device model again."""
    command = GET_BASE_REPORT.request(validated(GET_BASE_REPORT.body, {}))
    return await _send(request, ctx, acting, station_id, GET_BASE_REPORT.name, command)
