"""KPI tests use the command tests' scripted stations (1.6, and 2.0.1 for charging states)."""

from tests.commands.conftest import online
from tests.commands.v201.conftest import online_2x

__all__ = ["online", "online_2x"]
