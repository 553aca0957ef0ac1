"""Which 2.1 stations calculate costs locally, from their reported TariffCostCtrlr, and how an
Authorize of one that does not pays no read for it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from chargeyard.events.domain import RecordedEvent
from chargeyard.tariffs import local_calculation
from chargeyard.tariffs.local_calculation import (
    NONE,
    LocalCalculation,
    TariffTakers,
)


@dataclass
class Variable:
    variable_name: str
    value: str | None
    component_name: str = "TariffCostCtrlr"
    variable_instance: str | None = "Tariff"
    attribute_type: str = "Actual"


def test_what_a_station_reported() -> None:
    read = local_calculation.local_calculation
    assert read([]) == NONE
    assert read([Variable("Enabled", "false"), Variable("ConditionsSupported", "true")]) == NONE
    assert read([Variable("Enabled", "true")]) == LocalCalculation(True, True, None)
    assert read(
        [
            Variable("Enabled", "TRUE"),
            Variable("ConditionsSupported", "false"),
            Variable("MaxElements", "3"),
        ]
    ) == LocalCalculation(True, False, 3)
    # Another instance, or a target value, says nothing about the local calculation.
    assert read([Variable("Enabled", "true", variable_instance="Cost")]) == NONE
    assert read([Variable("Enabled", "true", attribute_type="Target")]) == NONE


async def test_the_answer_is_remembered_until_the_station_reports_or_it_is_old(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[str] = []
    answers = {"CP-1": NONE}

    async def reported(_db: Any, _organization_id: str, station_id: str) -> LocalCalculation:
        reads.append(station_id)
        return answers[station_id]

    monkeypatch.setattr(local_calculation, "reported", reported)
    now = [0.0]
    takers = TariffTakers(ttl_s=60, monotonic=lambda: now[0])
    assert takers.known("org", "CP-1") is None  # nothing read yet: `known` never reads
    for _ in range(3):
        assert await takers.of(None, "org", "CP-1") == NONE  # type: ignore[arg-type]
    assert reads == ["CP-1"]  # one read for three Authorizes
    assert takers.known("org", "CP-1") == NONE
    answers["CP-1"] = LocalCalculation(True)

    def event(type: str, station_id: str | None = "CP-1") -> RecordedEvent:
        at = datetime(2026, 12, 6, tzinfo=UTC)
        return RecordedEvent("e", "org", type, at, station_id, None, {})

    takers([event("session.started"), event("tariff.updated", None)])
    assert not (await takers.of(None, "org", "CP-1")).enabled  # type: ignore[arg-type]
    takers([event("device_model.reported")])
    assert (await takers.of(None, "org", "CP-1")).enabled  # type: ignore[arg-type]
    assert reads == ["CP-1", "CP-1"]
    answers["CP-1"] = NONE
    now[0] = 61.0  # a report another node stored is heard at the latest this much later
    assert takers.known("org", "CP-1") is None
    assert not (await takers.of(None, "org", "CP-1")).enabled  # type: ignore[arg-type]
    assert len(reads) == 3
