"""The station page's remote operations: a form posts here, the same command runner as
`POST /api/v1/stations/{id}/commands/{name}` sends it, and the page shows the station's answer.

Operators and admins only, checked with the REST API's own role check; the form's fields are
validated by the REST API's own body model of the command.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.commands.catalog import SPECS, CommandSpec
from chargeyard.commands.endpoints import failure_title
from chargeyard.commands.models import CommandRecord
from chargeyard.commands.runner import CommandRunner
from chargeyard.dashboard.auth import ActingCaller
from chargeyard.dashboard.domain import PAGE_COMMANDS
from chargeyard.dashboard.endpoints import station_context
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import ChargeyardError, NotFound
from chargeyard.organizations.domain import Role

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

SPEC_BY_NAME: dict[str, CommandSpec[Any]] = {
    spec.name: spec for spec in SPECS if spec.name in PAGE_COMMANDS
}


def outcome(
    name: str, record: CommandRecord | None, error: ChargeyardError | None
) -> dict[str, Any]:
    """What the page says about a command: accepted or not, and the station's words."""
    if error is not None:
        return {"command": name, "ok": False, "status": error.title, "detail": error.detail}
    assert record is not None
    if record.state == "answered":
        status = record.status or ""
        ok = status in ("Accepted", "Unlocked", "Scheduled")
        return {"command": name, "ok": ok, "status": status, "detail": record.response or {}}
    title = failure_title(record.http_status or 500)
    return {"command": name, "ok": False, "status": title, "detail": record.error or ""}


def status_of(record: CommandRecord | None, error: ChargeyardError | None) -> int:
    """The REST API's status for the same outcome: 200 for any answer of the station (its
    status says whether it accepted), else the failure's own (409 offline, 504 silent...)."""
    if error is not None:
        return error.status
    assert record is not None
    return 200 if record.state == "answered" else record.http_status or 502


@router.post("/stations/{station_id}/commands/{name}")
async def send_command(
    request: Request, station_id: str, name: str, acting: ActingCaller, ctx: Server
) -> Response:
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    spec = SPEC_BY_NAME.get(name)
    if spec is None:
        raise NotFound(f"the dashboard offers no command {name!r}")
    runner: CommandRunner = request.app.state.commands
    record, error = None, None
    try:
        body = validated(spec.body, fields)
        record = await runner.submit(caller, station_id, spec.request(body), runner.timeout(None))
    except ChargeyardError as failed:
        if failed.status in (401, 403, 404):
            raise
        error = failed
    result = outcome(name, record, error)
    status_code = status_of(record, error)
    if request.headers.get("x-dashboard-fragment"):
        return render(request, "_result.html", {"result": result}, status_code)
    context = await station_context(ctx, signed_in, station_id) | {"result": result}
    return render(request, "station.html", context, status_code)
