"""Registered stations and booted 1.6 and 2.0.1 sessions, from the protocol tests' fixtures,
and the command tests' scripted station."""

from tests.commands.conftest import online
from tests.protocol.conftest import stations
from tests.protocol.v201.conftest import v2

__all__ = ["online", "stations", "v2"]
