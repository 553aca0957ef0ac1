"""The station page's remote operations: a form posts here, the same command runner as
`POST /api/v1/stations/{id}/commands/{name}` (and `/power-limit`) sends it, built by the same
code, and the page shows the station's answer.

Operators and admins only, checked with the REST API's own role check; the form's fields are
validated by the REST API's own body model of the command.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.charging_profiles.endpoints import clear_limit_request, set_limit_request
from chargeyard.charging_profiles.schemas import PowerLimitIn, PowerLimitTarget
from chargeyard.commands.catalog import SPECS, CommandSpec
from chargeyard.commands.endpoints import failure_title
from chargeyard.commands.models import CommandRecord
from chargeyard.commands.runner import CommandRunner
from chargeyard.commands.runner import Request as CommandRequest
from chargeyard.dashboard.auth import ActingCaller, SignedIn
from chargeyard.dashboard.domain import PAGE_COMMANDS
from chargeyard.dashboard.endpoints import station_context
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import ChargeyardError, NotFound
from chargeyard.organizations.domain import Principal, Role
from chargeyard.server_context import ServerContext

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


async def answered(
    request: Request,
    caller: Principal,
    station_id: str,
    name: str,
    command: Callable[[], CommandRequest],
) -> tuple[dict[str, Any], int]:
    """Send `command` (built here, so a refused body is said like a refused command) with the
    REST API's command runner and say the station's answer (`outcome`) with the REST API's
    status for it (`status_of`); a station the caller may not see is 404, as in REST."""
    runner: CommandRunner = request.app.state.commands
    record, error = None, None
    try:
        record = await runner.submit(caller, station_id, command(), runner.timeout(None))
    except ChargeyardError as failed:
        if failed.status in (401, 403, 404):
            raise
        error = failed
    return outcome(name, record, error), status_of(record, error)


async def run(
    request: Request,
    ctx: ServerContext,
    acting: tuple[SignedIn, dict[str, str]],
    station_id: str,
    name: str,
    command: Callable[[dict[str, str]], CommandRequest],
) -> Response:
    """Send the command a form asks for (operator and up) and answer with the station's word:
    the result alone for the page's script, else the station page showing it."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    result, status_code = await answered(request, caller, station_id, name, lambda: command(fields))
    if request.headers.get("x-dashboard-fragment"):
        fragment = {"result": result, "caller": signed_in, "station_id": station_id}
        return render(request, "_result.html", fragment, status_code)
    context = await station_context(ctx, signed_in, station_id) | {
        "result": result,
        "station_id": station_id,
    }
    return render(request, "station.html", context, status_code)


@router.post("/stations/{station_id}/commands/{name}")
async def send_command(
    request: Request, station_id: str, name: str, acting: ActingCaller, ctx: Server
) -> Response:
    spec = SPEC_BY_NAME.get(name)
    if spec is None:
        raise NotFound(f"the dashboard offers no command {name!r}")
    return await run(
        request, ctx, acting, station_id, name, lambda f: spec.request(validated(spec.body, f))
    )


@router.post("/stations/{station_id}/certificates")
async def list_certificates(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The certificates form: `get-installed-certificate-ids` with the one type picked (none:
    every type), as the REST command's body model has it; the answer lists each certificate
    with a form that deletes it (`delete-certificate` with its hash data)."""
    spec = SPEC_BY_NAME["get-installed-certificate-ids"]

    def listing(fields: dict[str, str]) -> CommandRequest:
        picked = fields.get("certificate_type", "")
        return spec.request(validated(spec.body, {"certificate_types": [picked] if picked else []}))

    return await run(request, ctx, acting, station_id, spec.name, listing)


@router.post("/stations/{station_id}/power-limit")
async def set_power_limit(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The power limit form: `POST /api/v1/stations/{id}/power-limit` with its body model."""
    return await run(
        request,
        ctx,
        acting,
        station_id,
        "power-limit",
        lambda f: set_limit_request(validated(PowerLimitIn, f)),
    )


@router.post("/stations/{station_id}/power-limit/clear")
async def clear_power_limit(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """Removing a limit set here: `DELETE /api/v1/stations/{id}/power-limit`."""

    def clear(fields: dict[str, str]) -> CommandRequest:
        target = validated(PowerLimitTarget, fields)
        return clear_limit_request(target.evse_id, target.transaction_id, target.stack_level)

    return await run(request, ctx, acting, station_id, "clear power limit", clear)
