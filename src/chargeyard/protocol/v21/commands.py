"""Neutral commands → OCPP 2.1 CALL payloads: 2.0.1's renderings (v201/commands.py), built
with 2.1's call module and checked against 2.1's schemas on the way out."""

from ocpp.v21 import call

from chargeyard.protocol.v201.commands import Renderer

PROTOCOL = "ocpp2.1"

_V21 = Renderer(PROTOCOL, call)
render = _V21.render
parse = _V21.parse
