"""What a command that sets a station's password does once the station has answered.

A 1.6 `ChangeConfiguration` of `AuthorizationKey`, or a 2.0.1 `SetVariables` of
`BasicAuthPassword`, that the station accepts (or accepts for after a reboot) stages the new
password (`stations/credentials.py`): the station will use it from its next connection, and
both passwords admit it until it has. A refusal, a CALLERROR or silence changes nothing.
"""

from typing import Any

from chargeyard.commands import device_management as dm
from chargeyard.commands import domain as cmd
from chargeyard.commands.dispatcher import Outcome
from chargeyard.commands.runner import Scope
from chargeyard.security.station_secrets import is_station_secret
from chargeyard.stations.credentials import CredentialService
from chargeyard.stations.repository import StationRepository

ACCEPTED = frozenset({"Accepted", "RebootRequired"})


async def configuration_settled(scope: Scope, command: cmd.Command, outcome: Outcome) -> None:
    assert isinstance(command, cmd.ChangeConfiguration)
    if not is_station_secret(command.key) or outcome.answer is None:
        return
    if outcome.answer.status in ACCEPTED:
        await _stage(scope, command.value, f"ChangeConfiguration {command.key}")


async def variables_settled(scope: Scope, command: cmd.Command, outcome: Outcome) -> None:
    assert isinstance(command, dm.SetVariables)
    if outcome.answer is None:
        return
    results = outcome.answer.response.get("set_variable_result") or []
    for setting in command.settings:
        if is_station_secret(setting.variable.name) and _accepted(results, setting):
            where = f"{setting.component.name}.{setting.variable.name}"
            await _stage(scope, setting.value, f"SetVariables {where}")


def _accepted(results: list[Any], setting: dm.VariableSetting) -> bool:
    for result in results:
        if not isinstance(result, dict):
            continue
        component = result.get("component") or {}
        variable = result.get("variable") or {}
        if (component.get("name"), variable.get("name")) == (
            setting.component.name,
            setting.variable.name,
        ):
            return result.get("attribute_status") in ACCEPTED
    return False


async def _stage(scope: Scope, password: str, via: str) -> None:
    """Staging raises the station's revision: the station is read locked first, as a REST change
    guarded by If-Match reads it, so the two take turns and each raises the revision from what
    the other left (tests/stations/test_credential_races.py)."""
    stations = StationRepository(scope.uow.session, scope.organization_id)
    station = await stations.locked(scope.station.id)
    service = CredentialService(scope.uow, scope.organization_id, scope.clock)
    await service.stage(station, password, via)
