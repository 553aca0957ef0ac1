"""GET /metrics: Prometheus text for admins, or for anyone when CHARGEYARD_METRICS_PUBLIC is on;
a real OCPP exchange shows up in its counters."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from chargeyard.settings import Settings
from tests.api.factories import client_as
from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.server import RunningServer, free_port, in_process_server


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in a Prometheus text exposition (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if match is None or match.group(1) != name:
            continue
        found = ",".join(sorted((match.group(2) or "").split(",")))
        if found == wanted:
            return float(match.group(3))
    return 0.0


async def scrape(api: httpx.AsyncClient) -> str:
    answer = await api.get(f"{api.base_url.scheme}://{api.base_url.netloc.decode()}/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return answer.text


async def test_without_credentials_metrics_are_401(server: RunningServer) -> None:
    async with http_client(base_url=server.base_url) as anonymous:
        answer = await anonymous.get("/metrics")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["viewer", "operator"])
async def test_metrics_need_the_admin_role(role: str, tenant: Tenant) -> None:
    async with client_as(tenant, role) as api:
        answer = await api.get(f"{tenant.server.base_url}/metrics")
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"


async def test_an_admin_reads_every_chargeyard_metric(tenant: Tenant) -> None:
    text = await scrape(tenant.api)
    for family in (
        "chargeyard_connected_stations",
        "chargeyard_ocpp_calls",
        "chargeyard_ocpp_handler_seconds",
        "chargeyard_db_commit_seconds",
        "chargeyard_db_commit_batch_size",
        "chargeyard_command_seconds",
        "chargeyard_commands",
        "chargeyard_bus_round_trip_seconds",
        "chargeyard_webhook_queue_depth",
        "chargeyard_smart_charging_step_seconds",
        "chargeyard_message_log_dropped_frames",
        "chargeyard_handshakes_shed",
        "chargeyard_handshakes_abandoned",
    ):
        assert re.search(rf"^# TYPE {family}(_total)? ", text, re.MULTILINE), family


async def test_an_ocpp_exchange_is_counted(tenant: Tenant) -> None:
    stations = Stations(tenant)
    before = await scrape(tenant.api)
    async with stations.booted() as station:
        await station.ok("Heartbeat", {})
        refused = await station.call("MadeUpAction", {})
        assert refused[0] == 4
        during = await scrape(tenant.api)
    after = await scrape(tenant.api)

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("chargeyard_ocpp_calls_total", action="BootNotification", result="accepted") >= 1
    assert grew("chargeyard_ocpp_calls_total", action="Heartbeat", result="accepted") >= 1
    # An action the protocol does not know is counted under `other`, never as its own label.
    assert grew("chargeyard_ocpp_calls_total", action="other", result="callerror") >= 1
    assert 'action="MadeUpAction"' not in after
    assert grew("chargeyard_ocpp_handler_seconds_count", action="Heartbeat") >= 1
    assert grew("chargeyard_db_commit_batch_size_count") >= 1
    connected = sample(during, "chargeyard_connected_stations", protocol="ocpp1.6")
    assert connected >= 1


@pytest.fixture
async def public_server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    async with fresh_database(tmp_path) as url:
        settings = Settings(
            database_url=url, port=free_port(), node_id="public-metrics", metrics_public=True
        )
        async with in_process_server(settings) as running:
            yield running


async def test_public_metrics_answer_without_credentials(public_server: RunningServer) -> None:
    async with http_client(base_url=public_server.base_url) as anonymous:
        text = await scrape(anonymous)
    assert "# TYPE chargeyard_ocpp_calls_total counter" in text
