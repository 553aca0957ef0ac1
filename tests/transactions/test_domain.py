"""Energy arithmetic and sample reading, without a database."""

from datetime import UTC, datetime

import pytest

from chargeyard.transactions.domain import (
    Sample,
    StartRequest,
    energy_wh,
    is_retry,
    power_w,
    register_wh,
)

REGISTER = "Energy.Active.Import.Register"


@pytest.mark.parametrize(
    ("value", "unit", "wh"),
    [("1200", "Wh", 1200), ("4.2", "kWh", 4200), ("0.0005", "kWh", 0), ("12.6", None, 13)],
)
def test_register_in_wh(value: str, unit: str | None, wh: int) -> None:
    assert register_wh(Sample(REGISTER, value, unit)) == wh


@pytest.mark.parametrize(
    "sample",
    [
        Sample(REGISTER, "100", "Wh", phase="L1"),
        Sample(REGISTER, "100", "varh"),
        Sample(REGISTER, "AP5ZDg==", "Wh", format="SignedData"),
        Sample("Energy.Active.Export.Register", "100", "Wh"),
    ],
)
def test_not_a_register(sample: Sample) -> None:
    assert register_wh(sample) is None


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999999", "twelve", ""])
def test_no_number_from_non_finite_or_text(value: str) -> None:
    assert Sample("Voltage", value).number is None


def test_power_in_watts() -> None:
    assert power_w(Sample("Power.Active.Import", "7.4", "kW")) == pytest.approx(7400)
    assert power_w(Sample("Power.Active.Import", "7.4", "A")) is None


def test_energy_never_negative() -> None:
    assert energy_wh(1000, 6000) == 5000
    assert energy_wh(6000, 1000) == 0
    assert energy_wh(1000, None) is None


def test_retry_is_an_identical_start() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    request = StartRequest(evse_id=1, connector_id=1, id_tag="T", meter_start_wh=5, timestamp=at)
    assert is_retry("T", 5, at, request)
    assert not is_retry("U", 5, at, request)
    assert not is_retry("T", 6, at, request)
