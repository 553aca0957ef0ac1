"""Every OCTT-named case, run against a real Chargeyard on loopback, passes."""

from collections.abc import AsyncIterator

import pytest

from chargeyard.clock import utcnow
from chargeyard.conformance.case import Verdict
from chargeyard.conformance.context import Target
from chargeyard.conformance.operator_api import OperatorApi
from chargeyard.conformance.runner import cases_for, run
from tests.conftest import Tenant

PASSWORD = "conformance-password-1"

# Cases Chargeyard is known to fail, with the reason (docs/conformance.md "Known failures").
# Strict: a known failure that starts passing fails this test, so the entry is removed.
# Cases Chargeyard is known to fail, with the reason the runner gives (none today). Strict: a
# listed case that passes fails this test, so the list never outlives the bug.
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture
async def operator(tenant: Tenant) -> AsyncIterator[OperatorApi]:
    api = OperatorApi(tenant.server.base_url, tenant.token, timeout_s=10)
    yield api
    await api.aclose()


async def register(tenant: Tenant) -> str:
    station_id = tenant.unique("OCTT")
    answer = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return station_id


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_every_case_passes_against_chargeyard(
    tenant: Tenant, operator: OperatorApi, version: str
) -> None:
    station_id = await register(tenant)
    target = Target(tenant.server.ocpp_url + "/", station_id, PASSWORD, api=operator, clock=utcnow)

    results = await run(target, version)

    failed = {r.case.id: r.reason for r in results if r.verdict is not Verdict.PASS}
    ids = [case.id for case in cases_for(version)]
    assert failed == {
        case_id: KNOWN_FAILURES[case_id] for case_id in ids if case_id in KNOWN_FAILURES
    }
    assert [r.case.id for r in results] == ids
