"""The alert list's filters over real REST: a filter naming nothing that can exist is refused,
not answered with an empty list that looks like an answer."""

import pytest

from tests.conftest import Tenant


@pytest.mark.parametrize("path", ["/alerts", "/reports/alerts.csv"])
@pytest.mark.parametrize(
    "params",
    [
        {"urgency": "Urgent"},
        {"urgency": "high"},
        {"category": "Plumbing"},
        {"name": "station-gone"},
        {"status": "Open"},
    ],
)
async def test_an_unknown_filter_value_is_a_422(
    tenant: Tenant, path: str, params: dict[str, str]
) -> None:
    answer = await tenant.api.get(path, params=params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/alerts", "/reports/alerts.csv"])
async def test_known_filter_values_are_answered(tenant: Tenant, path: str) -> None:
    params = {
        "urgency": "High",
        "category": "Connectivity",
        "name": "station-offline",
        "status": "Triggered",
    }
    answer = await tenant.api.get(path, params=params)
    assert answer.status_code == 200, answer.text
