"""A station's password is write-only: no answer that reads a station ever carries it."""

from tests.api.factories import charged_station, logged
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

NEW_PASSWORD = "another-secret-password-42"


async def test_the_password_never_comes_back(tenant: Tenant) -> None:
    station_id, _ = await charged_station(tenant)  # registered with PASSWORD
    path = f"/stations/{station_id}"
    answers = [
        await tenant.api.get(path),
        await tenant.api.get("/stations"),
        await tenant.api.patch(path, json={"password": NEW_PASSWORD}),
        await tenant.api.get(path),
        await tenant.api.get(f"{path}/status-history"),
        await tenant.api.get("/transactions", params={"station_id": station_id}),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert PASSWORD not in answer.text and NEW_PASSWORD not in answer.text
        assert "password_hash" not in answer.text and "argon2" not in answer.text
    assert answers[0].json()["has_password"] is True
    frames = await logged(tenant.api, {"station_id": station_id}, at_least=6)
    assert PASSWORD not in str(frames)
