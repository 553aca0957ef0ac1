"""Boot decisions and EVSE status, without a database."""

import pytest

from chargeyard.stations.domain import (
    BootDecision,
    ConnectorStatus,
    RegistrationStatus,
    boot_decision,
    evse_status,
    password_problem,
)

S = ConnectorStatus


def test_accepted_station_heartbeats_at_its_interval() -> None:
    accepted = boot_decision(RegistrationStatus.ACCEPTED, 900)
    assert accepted == BootDecision(RegistrationStatus.ACCEPTED, 900)


@pytest.mark.parametrize("registration", [RegistrationStatus.PENDING, RegistrationStatus.REJECTED])
def test_held_station_retries_within_a_minute(registration: RegistrationStatus) -> None:
    assert boot_decision(registration, 900) == BootDecision(registration, 60)
    assert boot_decision(registration, 30).interval_s == 30


@pytest.mark.parametrize(
    ("connectors", "expected"),
    [
        ([S.AVAILABLE, S.OCCUPIED], S.OCCUPIED),
        ([S.OCCUPIED, S.FAULTED], S.FAULTED),
        ([S.RESERVED, S.AVAILABLE], S.RESERVED),
        ([S.UNAVAILABLE, S.AVAILABLE], S.UNAVAILABLE),
        ([S.UNKNOWN], S.UNKNOWN),
        ([], S.UNKNOWN),
    ],
)
def test_evse_is_as_busy_as_its_busiest_connector(
    connectors: list[ConnectorStatus], expected: ConnectorStatus
) -> None:
    assert evse_status(connectors) is expected


def test_station_passwords_must_be_long_and_not_patterned() -> None:
    assert password_problem("correct-horse-battery-staple") is None
    assert password_problem("0f3a9c2b7d1e5a64") is None  # 16 random hex digits
    assert "16 to 40" in (password_problem("short") or "")
    assert "different characters" in (password_problem("a" * 20) or "")
    assert "different characters" in (password_problem("abcabcabcabcabcab") or "")
