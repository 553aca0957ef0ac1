"""Brute force and oracles, over real connections to servers with small, fast brakes: lockouts
on the station handshake and REST Basic per name and per source address (429 with
Retry-After), and answers that do not tell which station ids or e-mails exist (issue 10)."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from chargeyard.security import passwords
from chargeyard.settings import Settings
from tests.api.factories import USER_PASSWORD, created
from tests.conftest import Tenant, make_tenant
from tests.dashboard.conftest import browser_client, hidden, make_user, sign_in
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD, basic_auth
from tests.support.server import RunningServer, free_port, in_process_server

WRONG = "not-the-password-at-all"


async def braked_server(tmp_path: Path, **brakes: Any) -> AsyncIterator[RunningServer]:
    settings = Settings(
        database_url="",
        port=free_port(),
        node_id="brute-force-test",
        message_log_flush_s=0.05,
        **({"auth_max_failures": 3, "auth_lockout_s": 60.0} | brakes),
    )
    async with fresh_database(tmp_path) as url:
        settings = settings.model_copy(update={"database_url": url})
        async with in_process_server(settings) as running:
            yield running


@pytest.fixture
async def tenant_on(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Tenant]:
    brakes = getattr(request, "param", {})
    async for server in braked_server(tmp_path, **brakes):
        async for made in make_tenant(server):
            yield made


async def handshake(tenant: Tenant, station_id: str, password: str) -> tuple[int, dict[str, str]]:
    """The handshake's HTTP status (101 when admitted) and headers."""
    try:
        async with connect(
            f"{tenant.server.ocpp_url}/{station_id}",
            subprotocols=["ocpp1.6"],  # type: ignore[list-item]
            additional_headers=basic_auth(station_id, password),
            open_timeout=10,
        ):
            return 101, {}
    except InvalidStatus as refused:
        return refused.response.status_code, dict(refused.response.headers)


async def station(tenant: Tenant) -> str:
    station_id = tenant.unique("CP")
    await created(tenant.api, "/stations", {"id": station_id, "password": PASSWORD})
    return station_id


async def test_handshakes_lock_a_station_id_after_repeated_failures(tenant_on: Tenant) -> None:
    known = await station(tenant_on)
    ghost = tenant_on.unique("GHOST")
    for station_id in (known, ghost):  # known or unknown: the same answers, in the same order
        statuses = [(await handshake(tenant_on, station_id, WRONG))[0] for _ in range(3)]
        assert statuses == [401, 401, 401]
        status, headers = await handshake(tenant_on, station_id, PASSWORD)
        assert status == 429 and 55 <= int(headers["retry-after"]) <= 60
    answer = await tenant_on.api.get(
        "/security-events", params={"station_id": known, "type": "AuthenticationLockout"}
    )
    assert answer.json()["total"] == 1
    other = await station(tenant_on)  # another station id is not locked
    assert (await handshake(tenant_on, other, PASSWORD))[0] == 101


@pytest.mark.parametrize(
    "tenant_on", [{"auth_max_failures": 100, "auth_address_max_failures": 4}], indirect=True
)
async def test_handshakes_lock_a_source_address_after_repeated_failures(
    tenant_on: Tenant,
) -> None:
    known = await station(tenant_on)
    for n in range(4):  # a different made-up id each time: only the address adds up
        assert (await handshake(tenant_on, tenant_on.unique(f"G{n}"), WRONG))[0] == 401
    assert (await handshake(tenant_on, known, PASSWORD))[0] == 429


def basic(tenant: Tenant, email: str, password: str) -> httpx.AsyncClient:
    return http_client(base_url=str(tenant.api.base_url), auth=(email, password))


async def test_basic_sign_ins_lock_an_email_after_repeated_failures(tenant_on: Tenant) -> None:
    email = f"{tenant_on.unique('ada')}@example.com"
    await created(tenant_on.api, "/users", {"email": email, "password": USER_PASSWORD})
    for who in (email, f"{tenant_on.unique('nobody')}@example.com"):
        async with basic(tenant_on, who, WRONG) as wrong:
            for _ in range(3):
                assert (await wrong.get("/users/me")).status_code == 401
        async with basic(tenant_on, who, USER_PASSWORD) as right:
            locked = await right.get("/users/me")
        assert locked.status_code == 429, who
        assert locked.headers["content-type"] == "application/problem+json"
        assert 55 <= int(locked.headers["retry-after"]) <= 60


async def test_an_unknown_email_costs_the_same_password_check(tenant: Tenant) -> None:
    """Timing: a wrong password for a known user and any password for an unknown e-mail each
    cost one Argon2 verification (82 vs 38 ms before)."""
    email = f"{tenant.unique('ada')}@example.com"
    await created(tenant.api, "/users", {"email": email, "password": USER_PASSWORD})
    for who in (email, f"{tenant.unique('nobody')}@example.com"):
        before = passwords.argon2_verifications
        async with basic(tenant, who, WRONG) as api:
            assert (await api.get("/users/me")).status_code == 401
        assert passwords.argon2_verifications - before == 1, who


async def test_an_unknown_station_id_costs_the_same_password_check(tenant: Tenant) -> None:
    known = await station(tenant)
    needs_tls = tenant.unique("TLS")
    await created(
        tenant.api, "/stations", {"id": needs_tls, "password": PASSWORD, "security_profile": 2}
    )
    for station_id in (known, needs_tls, tenant.unique("GHOST")):
        before = passwords.argon2_verifications
        assert (await handshake(tenant, station_id, WRONG))[0] == 401
        assert passwords.argon2_verifications - before == 1, station_id


@pytest.mark.parametrize("tenant_on", [{"create_conflicts_per_window": 2}], indirect=True)
async def test_taken_names_answer_alike_and_probing_them_is_braked(tenant_on: Tenant) -> None:
    async for other in make_tenant(tenant_on.server):
        theirs = await station(other)
        ours = await station(tenant_on)
        answers = [await tenant_on.api.post("/stations", json={"id": i}) for i in (theirs, ours)]
        assert [a.status_code for a in answers] == [409, 409]
        details = [
            a.json()["detail"].replace(i, "ID")
            for a, i in zip(answers, (theirs, ours), strict=True)
        ]
        assert details[0] == details[1] == "the station id 'ID' is not available"
        braked = await tenant_on.api.post("/stations", json={"id": tenant_on.unique("NEW")})
        assert braked.status_code == 429 and "retry-after" in braked.headers
        # Only the prober is braked.
        assert (
            await other.api.post("/stations", json={"id": other.unique("NEW")})
        ).status_code == 201


async def test_the_dashboard_sign_in_shares_the_basic_brake(tenant_on: Tenant) -> None:
    """Guesses through the web form count with REST Basic's: after 3 wrong passwords the form
    answers 429 too, even with the right one, and so does Basic for the same e-mail."""
    user = await make_user(tenant_on, "viewer")
    async with browser_client(tenant_on) as client:
        for _ in range(3):
            wrong = await client.post(
                "/sign-in",
                data={
                    "csrf_token": hidden((await client.get("/")).text, "csrf_token"),
                    "email": user.email,
                    "password": "not-the-password",
                },
            )
            assert wrong.status_code == 401
        locked = await sign_in(client, user)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    basic = await tenant_on.api.get("/users/me", auth=(user.email, user.password))
    assert basic.status_code == 429 and "retry-after" in basic.headers
