"""/api/v1/stations/{id}/power-limit: a limit in kW or A, sent as the right charging profile.

The limit is recorded in the command audit log as the set-/clear-charging-profile it becomes.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from chargeyard.api.dependencies import Operator
from chargeyard.api.limits import INT_MAX, IdQuery, StationIdPath
from chargeyard.charging_profiles.domain import (
    limit_purpose,
    power_limit_id,
    power_limit_problems,
    power_limit_profile,
)
from chargeyard.charging_profiles.schemas import PowerLimitIn
from chargeyard.charging_profiles.service import checked_profile
from chargeyard.commands import domain as cmd
from chargeyard.commands.catalog import station_transaction
from chargeyard.commands.endpoints import CallTimeout, Runner, answer
from chargeyard.commands.runner import Request, Scope
from chargeyard.commands.schemas import CommandAnswer
from chargeyard.errors import Invalid

router = APIRouter(prefix="/stations/{station_id}/power-limit", tags=["charging profiles"])


async def _evse_of(scope: Scope, evse_id: int, transaction_id: int | None) -> int:
    if transaction_id is None:
        return evse_id
    tx = await station_transaction(scope, transaction_id)
    if evse_id not in (0, tx.evse_id):
        raise Invalid(f"transaction {transaction_id} runs on EVSE {tx.evse_id}, not {evse_id}")
    return tx.evse_id


def set_limit_request(body: PowerLimitIn) -> Request:
    """The command a power limit becomes: the profile that enforces it, checked against the
    station's session and EVSE when it is built (the dashboard's form sends the same)."""

    async def build(scope: Scope) -> cmd.Command:
        limit = body.to_domain(await _evse_of(scope, body.evse_id, body.transaction_id))
        if found := power_limit_problems(limit):
            raise Invalid("invalid power limit: " + "; ".join(found))
        profile = power_limit_profile(limit, scope.clock())
        ocpp_tx = await checked_profile(
            scope.uow, scope.organization_id, scope.station.id, limit.evse_id, profile
        )
        return cmd.SetChargingProfile(
            evse_id=limit.evse_id, profile=profile, ocpp_transaction_id=ocpp_tx
        )

    return Request("set-charging-profile", body.model_dump(mode="json"), build)


def clear_limit_request(evse_id: int, transaction_id: int | None, stack_level: int) -> Request:
    """The command that removes a limit set here: its profile id is stable, so no state."""

    async def build(scope: Scope) -> cmd.Command:
        evse = await _evse_of(scope, evse_id, transaction_id)
        purpose = limit_purpose(evse, transaction_id)
        return cmd.ClearChargingProfile(profile_id=power_limit_id(purpose, evse, stack_level))

    query = {"evse_id": evse_id, "transaction_id": transaction_id, "stack_level": stack_level}
    return Request("clear-charging-profile", query, build)


@router.post("", response_model=CommandAnswer, summary="Limit a station, EVSE or transaction.")
async def set_power_limit(
    station_id: StationIdPath,
    body: PowerLimitIn,
    caller: Operator,
    commands: Runner,
    timeout_s: CallTimeout,
) -> Response:
    record = await commands.submit(caller, station_id, set_limit_request(body), timeout_s)
    return answer(record)


@router.delete("", response_model=CommandAnswer, summary="Remove a limit set here.")
async def clear_power_limit(
    station_id: StationIdPath,
    caller: Operator,
    commands: Runner,
    timeout_s: CallTimeout,
    evse_id: Annotated[int, Query(ge=0, le=INT_MAX)] = 0,
    transaction_id: IdQuery = None,
    stack_level: Annotated[int, Query(ge=0, lt=1000)] = 0,
) -> Response:
    request = clear_limit_request(evse_id, transaction_id, stack_level)
    record = await commands.submit(caller, station_id, request, timeout_s)
    return answer(record)
