"""`chargeyard conformance` as an operator runs it: a real process against a real CSMS."""

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from chargeyard.cli.conformance import same_server
from tests.conftest import Tenant
from tests.simulator.fake_csms import CsmsSettings, FakeCsms

from .test_runner import PASSWORD, register


async def conformance(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "chargeyard",
        "conformance",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, output.decode()


@pytest.fixture
async def rejecting_csms() -> AsyncIterator[FakeCsms]:
    """A central system that answers every boot with Rejected: not conforming to TC_001."""
    csms = FakeCsms(CsmsSettings(boot_status="Rejected"))
    await csms.start()
    yield csms
    await csms.stop()


async def test_a_conforming_csms_exits_0_and_says_what_was_not_applicable(
    tenant: Tenant, tmp: Path
) -> None:
    station_id = await register(tenant)
    junit = tmp / "octt.xml"

    code, output = await conformance(
        "--url", tenant.server.ocpp_url, "--station-id", station_id,
        "--password", PASSWORD, "--version", "2.0.1", "--junit", str(junit),
    )  # fmt: skip

    assert code == 0, output
    assert "pass           TC_B_01_CSMS    Cold Boot Charging Station - Accepted" in output
    assert "not applicable TC_F_01_CSMS" in output and "needs --api-token" in output
    assert "not applicable TC_E_04_CSMS" in output and "needs --id-tag or --api-token" in output
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert int(suite.get("tests", "0")) == output.count("_CSMS ")


async def test_a_wrong_password_fails_and_exits_non_zero(tenant: Tenant) -> None:
    station_id = await register(tenant)

    code, output = await conformance(
        "--url", tenant.server.ocpp_url, "--station-id", station_id,
        "--password", "not-the-password", "--version", "1.6",
        "--case", "TC_001_CSMS", "--case", "TC_085_CSMS",
    )  # fmt: skip

    assert code == 1, output
    assert "fail           TC_001_CSMS" in output and "HTTP 401" in output
    assert "fail           TC_085_CSMS" in output and "0 passed, 2 failed" in output


async def test_a_non_conforming_csms_fails_the_case_it_breaks(rejecting_csms: FakeCsms) -> None:
    code, output = await conformance(
        "--url", rejecting_csms.url, "--station-id", "CP1", "--password", "anything-goes-1",
        "--id-tag", "TAG-OK",
    )  # fmt: skip

    assert code == 1, output
    assert "fail           TC_001_CSMS" in output
    assert "BootNotification.conf status is 'Rejected', expected 'Accepted'" in output


def test_the_api_is_looked_for_on_the_ocpp_server_unless_told() -> None:
    assert same_server("ws://127.0.0.1:8000/ocpp/") == "http://127.0.0.1:8000"
    assert same_server("wss://csms.example.com/ocpp") == "https://csms.example.com"


async def test_an_api_token_runs_the_cases_in_which_the_csms_acts(tenant: Tenant) -> None:
    station_id = await register(tenant)

    code, output = await conformance(
        "--url", tenant.server.ocpp_url, "--station-id", station_id, "--password", PASSWORD,
        "--api-token", tenant.token, "--case", "TC_012_CSMS", "--case", "TC_023_3_CSMS",
    )  # fmt: skip

    assert code == 0, output
    assert "pass           TC_012_CSMS     Remote Stop Charging Session" in output
    assert "pass           TC_023_3_CSMS" in output and "2 passed, 0 failed" in output
