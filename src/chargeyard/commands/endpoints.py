"""/api/v1/stations/{id}/commands/{command}, bulk /api/v1/commands/{command}, and the audit log.

One route per command is generated from `catalog.SPECS`, so each has its own documented body.
"""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import Field, create_model

from chargeyard.api.dependencies import Operator, Paging, Reading, Viewer
from chargeyard.api.limits import LIST_MAX_ITEMS, Moment, StationId, StationIdPath, StationIdQuery
from chargeyard.api.problems import problem
from chargeyard.api.schemas import ListOf, listing
from chargeyard.commands.catalog import SPECS, CommandSpec
from chargeyard.commands.force_stop import force_stop
from chargeyard.commands.models import CommandRecord
from chargeyard.commands.repository import CommandRepository
from chargeyard.commands.runner import CommandRunner
from chargeyard.commands.schemas import (
    BulkOut,
    BulkResult,
    CommandAnswer,
    CommandOut,
    ForceStopIn,
)
from chargeyard.errors import ChargeyardError
from chargeyard.organizations.domain import Principal

router = APIRouter(tags=["commands"])


def runner(request: Request) -> CommandRunner:
    found: CommandRunner = request.app.state.commands
    return found


Runner = Annotated[CommandRunner, Depends(runner)]
Wait = Annotated[bool, Query(description="false: answer 202 at once and poll the command.")]


def call_timeout(
    commands: Runner,
    timeout: Annotated[
        float | None,
        Query(
            gt=0,
            le=3600,
            description="Seconds to wait for the station (default: the server's setting).",
        ),
    ] = None,
) -> float:
    return commands.timeout(timeout)


CallTimeout = Annotated[float, Depends(call_timeout)]


FAILURE_TITLES = {409: "Station offline", 504: "Station did not answer", 422: "Invalid input"}


def failure_title(http_status: int) -> str:
    """How a failed command is named to people (the problem title, the dashboard's notice)."""
    return FAILURE_TITLES.get(http_status, "Command failed")


def answer(record: CommandRecord) -> Response:
    """200 with the station's answer, or the problem the command met (with its command id)."""
    if record.state == "pending":
        body = CommandOut.model_validate(record).model_dump(mode="json")
        return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED)
    if record.state == "answered":
        return JSONResponse(
            CommandAnswer(
                status=record.status or "", response=record.response or {}, command_id=record.id
            ).model_dump(mode="json")
        )
    code = record.http_status or 500
    title = failure_title(code)
    return problem(code, title, record.error or "", command_id=record.id)


def _station_route(spec: CommandSpec[Any]) -> Any:
    async def endpoint(
        station_id: StationIdPath,
        body: Any,
        caller: Operator,
        commands: Runner,
        timeout_s: CallTimeout,
        wait: Wait = True,
    ) -> Response:
        record = await commands.submit(caller, station_id, spec.request(body), timeout_s, wait=wait)
        return answer(record)

    endpoint.__annotations__["body"] = spec.body
    endpoint.__name__ = spec.name.replace("-", "_")
    return endpoint


def _bulk_route(spec: CommandSpec[Any]) -> Any:
    bulk_body = create_model(
        f"Bulk{spec.body.__name__}",
        __base__=spec.body,
        station_ids=(list[StationId], Field(min_length=1, max_length=LIST_MAX_ITEMS)),
    )

    async def endpoint(
        body: Any, caller: Operator, commands: Runner, timeout_s: CallTimeout
    ) -> BulkOut:
        one = spec.body.model_validate(body.model_dump(exclude={"station_ids"}, exclude_unset=True))
        results = await asyncio.gather(
            *(
                _one(commands, caller, station_id, spec, one, timeout_s)
                for station_id in body.station_ids
            )
        )
        return BulkOut(results=list(results))

    endpoint.__annotations__["body"] = bulk_body
    endpoint.__name__ = f"bulk_{spec.name.replace('-', '_')}"
    return endpoint


async def _one(
    commands: CommandRunner,
    caller: Principal,
    station_id: StationIdPath,
    spec: CommandSpec[Any],
    body: Any,
    timeout_s: float,
) -> BulkResult:
    try:
        record = await commands.submit(caller, station_id, spec.request(body), timeout_s)
    except ChargeyardError as error:
        return BulkResult(station_id=station_id, http_status=error.status, error=error.detail)
    return BulkResult(
        station_id=station_id,
        http_status=record.http_status or 500,
        status=record.status,
        response=record.response,
        command_id=record.id,
        error=record.error,
    )


@router.post(
    "/stations/{station_id}/commands/force-stop",
    response_model=CommandAnswer,
    summary="Close a session in Chargeyard, and ask the station to stop it if it is online.",
)
async def force_stop_command(
    station_id: StationIdPath,
    body: ForceStopIn,
    caller: Operator,
    commands: Runner,
    timeout_s: CallTimeout,
) -> Response:
    record = await force_stop(commands, caller, station_id, body, timeout_s)
    return answer(record)


for _spec in SPECS:
    router.add_api_route(
        f"/stations/{{station_id}}/commands/{_spec.name}",
        _station_route(_spec),
        methods=["POST"],
        summary=_spec.summary,
        response_model=CommandAnswer,
        responses={202: {"model": CommandOut}},
    )
    router.add_api_route(
        f"/commands/{_spec.name}",
        _bulk_route(_spec),
        methods=["POST"],
        summary=f"Bulk: {_spec.summary}",
        response_model=BulkOut,
    )


@router.get("/commands", response_model=ListOf[CommandOut])
async def list_commands(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: StationIdQuery = None,
    actor: str | None = None,
    command: str | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[CommandOut]:
    result = await CommandRepository(uow.session, caller.organization_id).search(
        paging, station_id=station_id, actor=actor, command=command, since=since, until=until
    )
    return listing(result, paging, CommandOut)


@router.get("/commands/{command_id}", response_model=CommandOut)
async def get_command(command_id: str, caller: Viewer, uow: Reading) -> CommandOut:
    record = await CommandRepository(uow.session, caller.organization_id).get(command_id)
    return CommandOut.model_validate(record)
