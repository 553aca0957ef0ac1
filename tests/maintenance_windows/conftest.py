"""Maintenance window tests use the command tests' scripted station."""

from tests.commands.conftest import online

__all__ = ["online"]
