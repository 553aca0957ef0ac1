"""An OCPP 1.6 station's configuration keys, as its GetConfiguration answers last said them
(the command log of `POST /api/v1/stations/{id}/commands/get-configuration`: each key as the
latest answer naming it had it, `domain.reported_configuration`).

Every role reads them (a site-confined user for the stations of their sites only: the station
and its command log are read through the scoped repositories, so any other station is 404).
Operators and admins change a key with the same `change-configuration` command as the REST API,
its body checked by the REST API's `ChangeConfigurationIn` (a refused field comes back beside
it), and ask for a fresh read of every key (`get-configuration`); the page says the station's
answer, and the table shows a changed value once the station is read again. A station secret
(`AuthorizationKey`) is masked in the log and never shown back in the form. 2.x stations keep
their settings in the device model (`device_model.py`): their page says so and offers no form.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.commands.catalog import SPECS
from chargeyard.commands.repository import CommandRepository
from chargeyard.commands.schemas import ChangeConfigurationIn
from chargeyard.commands.service import CommandState
from chargeyard.dashboard.actions import answered
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.domain import reported_configuration
from chargeyard.dashboard.endpoints import base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.forms import FormInvalid, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.organizations.domain import Role
from chargeyard.security.station_secrets import is_station_secret
from chargeyard.server_context import ServerContext
from chargeyard.stations.repository import StationRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {"key": "Key", "value": "Value"}
CHANGE = next(spec for spec in SPECS if spec.name == "change-configuration")
READ = next(spec for spec in SPECS if spec.name == "get-configuration")
ANSWERS_READ = 20
"""The station's latest answered reads the page merges: a full read and the partial ones
after it (each read of all keys answers every key, so older ones add nothing)."""


def _unsaid(values: dict[str, str]) -> dict[str, str]:
    """A form's values with a station secret's value left empty: never shown back."""
    return values | {"value": ""} if is_station_secret(values.get("key", "")) else values


async def _page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    station_id: str,
    form: FieldForm | None = None,
    result: dict[str, Any] | None = None,
    status_code: int = 200,
    edit: str = "",
) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        station = await StationRepository(uow.session, organization_id).get(station_id)
        reads = await CommandRepository(uow.session, organization_id).latest(
            station_id, (READ.name,), CommandState.ANSWERED.value, ANSWERS_READ
        )
    keys = reported_configuration(
        (r.finished_at or r.requested_at, r.response) for r in reads if r.status == "Accepted"
    )
    if form is None:
        chosen = next((k for k in keys if k.key == edit and not k.readonly), None)
        values = {"key": chosen.key, "value": chosen.value or ""} if chosen else {}
        form = FieldForm(_unsaid(values), labels=LABELS)
    version_16 = (station.protocol or "") == "ocpp1.6"
    context = base_context(caller, "stations") | {
        "station": station,
        "keys": keys,
        "version_16": version_16,
        "may_change": _may_act(caller) and version_16,
        "form": form,
        "result": result,
        "station_id": station_id,
    }
    return render(request, "station_configuration.html", context, status_code)


def _may_act(caller: SignedIn) -> bool:
    """Whether the page offers its forms: to an operator or admin signed in with a form token."""
    return caller.may(Role.OPERATOR) and caller.csrf_token is not None


@router.get("/stations/{station_id}/configuration")
async def configuration(
    request: Request, station_id: str, caller: PageCaller, ctx: Server, edit: str = ""
) -> Response:
    return await _page(request, caller, ctx, station_id, edit=edit[:50])


@router.post("/stations/{station_id}/configuration/change")
async def change_key(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`change-configuration` with the form's key and value, checked by `ChangeConfigurationIn`
    (a refused field beside it, the form as sent but for a secret's value)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    sent = {"key": fields.get("key", "").strip(), "value": fields.get("value", "")}
    try:
        body = validated(ChangeConfigurationIn, sent)
    except FormInvalid as refusal:
        form = refused(_unsaid(sent), LABELS, refusal)
        return await _page(request, signed_in, ctx, station_id, form, status_code=refusal.status)
    result, code = await answered(
        request, caller, station_id, CHANGE.name, lambda: CHANGE.request(body)
    )
    form = FieldForm(_unsaid(sent), labels=LABELS)
    return await _page(request, signed_in, ctx, station_id, form, result, code)


@router.post("/stations/{station_id}/configuration/read")
async def read_keys(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`get-configuration` of every key: the table shows the station's answer at once."""
    signed_in, _fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(READ.body, {})
    result, code = await answered(
        request, caller, station_id, READ.name, lambda: READ.request(body)
    )
    return await _page(request, signed_in, ctx, station_id, result=result, status_code=code)
