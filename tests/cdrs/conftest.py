"""Fixtures for the billing tests: stations that run real 1.6 sessions."""

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.v201.conftest import v2
from tests.webhooks.conftest import fast_server, hooks, receiver, verify

__all__ = ["fast_server", "hooks", "receiver", "v2", "verify"]  # fixtures the tests here share


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)
