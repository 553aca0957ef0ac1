"""Fixtures for the tariff group tests: stations that run real 1.6 sessions."""

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import Stations


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)
