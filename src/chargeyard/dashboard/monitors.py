"""A 2.x station's variable monitors as `/api/v1/stations/{id}/device-model/monitors` lists them:
the monitors its NotifyMonitoringReport messages described (less those it cleared since).

Every role reads them (a site-confined user for the stations of their sites only: the station and
the rows are read through the scoped repositories, so any other station is 404). Operators and
admins set a monitor with the same `set-variable-monitoring` command as
`POST /api/v1/stations/{id}/commands/set-variable-monitoring`, its one monitor checked by the
REST API's `MonitorIn` (a refused field comes back beside it), and clear one with
`clear-variable-monitoring`; the page says the station's answer. A monitor the station clears
leaves the list at once (the command's settle step); a new one shows once the station reports it.
**Read from station** sends `get-monitoring-report` for every monitor: once the station's last
report part has arrived the list is what the station has (device_model/service.py), and the page
says when the monitors were last read (and whether a read still awaits its report).
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.commands.catalog import SPECS
from chargeyard.commands.device_management import MonitorType
from chargeyard.commands.device_schemas import (
    ClearVariableMonitoringIn,
    GetMonitoringReportIn,
    MonitorIn,
    SetVariableMonitoringIn,
)
from chargeyard.dashboard.actions import answered
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import page_slice, paging
from chargeyard.dashboard.forms import FormInvalid, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.device_model.repository import DeviceModelRepository, MonitorReadRepository
from chargeyard.organizations.domain import Role
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
    "type": "Monitor type",
    "value": "Threshold or interval",
    "severity": "Severity",
    "transaction": "Only during a transaction",
    "id": "Replaces monitor",
}
TYPES = [(t.value, t.value) for t in MonitorType]
SEVERITIES = [(str(n), f"{n}") for n in range(10)]
ONLY_IN_TRANSACTION = [("false", "No"), ("true", "Yes")]
SET = next(spec for spec in SPECS if spec.name == "set-variable-monitoring")
CLEAR = next(spec for spec in SPECS if spec.name == "clear-variable-monitoring")
READ = next(spec for spec in SPECS if spec.name == "get-monitoring-report")
BLANK = {"type": MonitorType.UPPER_THRESHOLD.value, "severity": "5", "transaction": "false"}
"""What the new monitor form starts with."""


async def _page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    station_id: str,
    page: int = 1,
    form: FieldForm | None = None,
    result: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        station = await StationRepository(uow.session, organization_id).get(station_id)
        found = await DeviceModelRepository(uow.session, organization_id).monitors(
            station_id, page_slice(page)
        )
        read = await MonitorReadRepository(uow.session, organization_id).of_station(station_id)
    context = base_context(caller, "stations") | paging(found.total, page)
    version_2 = (station.protocol or "").startswith("ocpp2")
    context |= {
        "station": station,
        "monitors": found.items,
        "read": read,
        "version_2": version_2,
        "may_set": context["may_act"] and version_2 and caller.csrf_token is not None,
        "form": form or FieldForm(BLANK, labels=LABELS),
        "types": TYPES,
        "severities": SEVERITIES,
        "in_transaction": ONLY_IN_TRANSACTION,
        "result": result,
        "station_id": station_id,
    }
    return render(request, "monitors.html", context, status_code)


@router.get("/stations/{station_id}/monitors")
async def monitors(
    request: Request, station_id: str, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _page(request, caller, ctx, station_id, page)


@router.post("/stations/{station_id}/monitors")
async def set_monitor(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`set-variable-monitoring` with the one monitor the form holds, checked by `MonitorIn`."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    sent = {name: fields.get(name, "").strip() for name in LABELS}
    try:
        monitor = validated(MonitorIn, sent)
    except FormInvalid as refusal:
        form = refused(sent, LABELS, refusal)
        return await _page(
            request, signed_in, ctx, station_id, form=form, status_code=refusal.status
        )
    body = SetVariableMonitoringIn(monitors=[monitor])
    result, code = await answered(request, caller, station_id, SET.name, lambda: SET.request(body))
    form = FieldForm(sent, labels=LABELS)
    return await _page(request, signed_in, ctx, station_id, 1, form, result, code)


@router.post("/stations/{station_id}/monitors/{monitor_id}/clear")
async def clear_monitor(
    request: Request, station_id: str, monitor_id: int, acting: ActingCaller, ctx: Server
) -> Response:
    """`clear-variable-monitoring` of one monitor (a row's button)."""
    signed_in, _fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(ClearVariableMonitoringIn, {"ids": [monitor_id]})
    result, code = await answered(
        request, caller, station_id, CLEAR.name, lambda: CLEAR.request(body)
    )
    return await _page(request, signed_in, ctx, station_id, result=result, status_code=code)


@router.post("/stations/{station_id}/monitors/read")
async def read_monitors(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`get-monitoring-report` of every monitor: the station's report replaces the list."""
    signed_in, _fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(GetMonitoringReportIn, {})
    result, code = await answered(
        request, caller, station_id, READ.name, lambda: READ.request(body)
    )
    return await _page(request, signed_in, ctx, station_id, result=result, status_code=code)
