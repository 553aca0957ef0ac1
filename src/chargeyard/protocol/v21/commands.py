"""Neutral commands → OCPP 2.1 CALL payloads: 2.0.1's renderings (v201/commands.py), built
with 2.1's call module and checked against 2.1's schemas on the way out, plus the commands only
2.1 has (its tariff messages, v21/tariffs.py)."""

from typing import Any

from ocpp.v21 import call

from chargeyard.commands import domain as cmd
from chargeyard.protocol.v21 import tariffs
from chargeyard.protocol.v201.commands import Renderer

PROTOCOL = "ocpp2.1"

# A ClearTariffs answer has no status of its own: it reads as its first result that was not
# Accepted (NoTariff when the station held none), else Accepted.
_CLEARED = "clear_tariffs_result"


class V21Renderer(Renderer):
    def render(self, command: cmd.Command) -> Any:
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


_V21 = V21Renderer(PROTOCOL, call)
render = _V21.render
parse = _V21.parse
