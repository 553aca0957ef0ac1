"""Registered stations and booted 1.6 and 2.0.1 sessions, from the protocol tests' fixtures."""

from tests.protocol.conftest import stations
from tests.protocol.v201.conftest import v2

__all__ = ["stations", "v2"]
