"""The command log as `/api/v1/commands` has it: every remote operation sent to the
organization's stations, newest first, filtered on the server by station, command and who sent
it; and one command with what was asked, what went on the wire and what the station answered.
An operator looks here to learn who reset a station, or why a remote start failed. Station
secrets were masked before the record was stored (`security/station_secrets.py`), so a viewer
reads here exactly what REST shows them. A site-confined caller sees its sites' stations'
commands only (the same scoped repository; another's is 404)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.commands.repository import CommandRepository
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.form_handling import page_slice, paging
from chargeyard.dashboard.rendering import DashboardRoute, render

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


@router.get("/commands")
async def commands(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    station: Annotated[str | None, Query(max_length=64)] = None,
    command: Annotated[str | None, Query(max_length=40)] = None,
    actor: Annotated[str | None, Query(max_length=80)] = None,
    page: PageNumber = 1,
) -> Response:
    async with ctx.db.reading() as uow:
        found = await CommandRepository(uow.session, caller.principal.organization_id).search(
            page_slice(page),
            station_id=_given(station),
            command=_given(command),
            actor=_given(actor),
        )
    context = (
        base_context(caller, "commands")
        | paging(found.total, page)
        | {
            "commands": found.items,
            "station": station or "",
            "command": command or "",
            "actor": actor or "",
        }
    )
    return render(request, "commands.html", context)


@router.get("/commands/{command_id}")
async def command(request: Request, command_id: str, caller: PageCaller, ctx: Server) -> Response:
    async with ctx.db.reading() as uow:
        record = await CommandRepository(uow.session, caller.principal.organization_id).get(
            command_id
        )
    return render(
        request,
        "command.html",
        base_context(caller, "commands") | {"c": record},
    )


def _given(value: str | None) -> str | None:
    """A filter field left empty filters nothing."""
    return value.strip() or None if value else None
