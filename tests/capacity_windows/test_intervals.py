"""Capacity windows, energy prices and demand-response events take an interval; a naive end
beside an aware start (or the reverse) is read as UTC, as everywhere else, instead of a 500."""

import pytest

from tests.api.test_errors import problem
from tests.conftest import Tenant


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2030-01-01T00:00:00", "2030-01-02T00:00:00Z"),
        ("2030-01-01T00:00:00Z", "2030-01-02T00:00:00"),
    ],
)
async def test_a_naive_and_an_aware_instant_make_one_interval(
    starts_at: str, ends_at: str, tenant: Tenant
) -> None:
    circuit = (await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 50})).json()
    window = {"starts_at": starts_at, "ends_at": ends_at, "max_power_kw": 20}

    answer = await tenant.api.post(f"/circuits/{circuit['id']}/capacity-windows", json=window)

    assert answer.status_code == 201, answer.text
    assert answer.json()["starts_at"].startswith("2030-01-01T00:00:00")


async def test_a_naive_end_before_an_aware_start_is_422(tenant: Tenant) -> None:
    circuit = (await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 50})).json()
    window = {
        "starts_at": "2030-01-02T00:00:00+00:00",
        "ends_at": "2030-01-01T00:00:00",
        "max_power_kw": 20,
    }

    answer = await tenant.api.post(f"/circuits/{circuit['id']}/capacity-windows", json=window)

    assert "ends_at" in problem(answer, 422)["detail"]
