"""Neutral commands → OCPP 2.1 CALL payloads: 2.0.1's renderings (v201/commands.py), built
with 2.1's call module and checked against 2.1's schemas on the way out, plus the commands only
2.1 has (its tariff messages, v21/tariffs.py).

A charging profile period with a negative limit (smart charging's V2G discharge) is rendered
as 2.1 defines discharging rather than 2.0.1's negative limit (which 2.1 keeps only for
backwards compatibility): `limit` 0, `dischargeLimit` and `setpoint` at the (negative) power,
`operationMode` `CentralSetpoint` (the EV follows the setpoint within the limits)."""

from typing import Any

from ocpp.v21 import call

from chargeyard.commands import domain as cmd
from chargeyard.protocol.v21 import tariffs
from chargeyard.protocol.v201 import shapes
from chargeyard.protocol.v201.commands import Renderer

PROTOCOL = "ocpp2.1"

# A ClearTariffs answer has no status of its own: it reads as its first result that was not
# Accepted (NoTariff when the station held none), else Accepted.
_CLEARED = "clear_tariffs_result"


class V21Renderer(Renderer):
    def render(self, command: cmd.Command) -> Any:
        if isinstance(command, cmd.SetChargingProfile):
            return self.calls.SetChargingProfile(
                evse_id=command.evse_id,
                charging_profile=discharging(
                    shapes.charging_profile(command.profile, command.ocpp_transaction_id)
                ),
            )
        rendering = tariffs.RENDERINGS.get(type(command))
        if rendering is None:
            return super().render(command)
        action, fields = rendering(command)
        return getattr(self.calls, action)(**fields)

    def parse(self, result: Any) -> cmd.Answer:
        answer = super().parse(result)
        results = answer.response.get(_CLEARED)
        if "status" in answer.response or not isinstance(results, list):
            return answer
        statuses = [str(item.get("status")) for item in results if isinstance(item, dict)]
        refused = [status for status in statuses if status != cmd.ANSWERED]
        return cmd.Answer(refused[0] if refused else cmd.ANSWERED, answer.response)


CENTRAL_SETPOINT = "CentralSetpoint"


def discharging(profile: dict[str, Any]) -> dict[str, Any]:
    """A 2.0.1-shaped ChargingProfileType with its negative periods in 2.1's discharge form."""
    for schedule in profile["charging_schedule"]:
        schedule["charging_schedule_period"] = [
            _period(period) for period in schedule["charging_schedule_period"]
        ]
    return profile


def _period(period: dict[str, Any]) -> dict[str, Any]:
    limit = period["limit"]
    if limit >= 0:
        return period
    return {
        **period,
        "limit": 0,
        "discharge_limit": limit,
        "setpoint": limit,
        "operation_mode": CENTRAL_SETPOINT,
    }


_V21 = V21Renderer(PROTOCOL, call)
render = _V21.render
parse = _V21.parse
