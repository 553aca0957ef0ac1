import pytest
from ocpp.v16.enums import ConfigurationStatus

from chargeyard.simulator.v16.configuration import Configuration


@pytest.fixture
def configuration() -> Configuration:
    return Configuration(connectors=3, heartbeat_interval=120, meter_interval=30)


def test_constructor_values_land_in_the_core_keys(configuration: Configuration) -> None:
    assert configuration.integer("NumberOfConnectors") == 3
    assert configuration.integer("HeartbeatInterval") == 120
    assert configuration.integer("meterValueSampleInterval") == 30  # keys are case-insensitive


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("HeartbeatInterval", "45", ConfigurationStatus.accepted),
        ("HeartbeatInterval", "soon", ConfigurationStatus.rejected),
        ("AuthorizeRemoteTxRequests", "FALSE", ConfigurationStatus.accepted),
        ("AuthorizeRemoteTxRequests", "maybe", ConfigurationStatus.rejected),
        (
            "MeterValuesSampledData",
            "Energy.Active.Import.Register,SoC",
            ConfigurationStatus.accepted,
        ),
        ("MeterValuesSampledData", "Energy,Joy", ConfigurationStatus.rejected),
        ("NumberOfConnectors", "4", ConfigurationStatus.rejected),
        ("FreeBeer", "true", ConfigurationStatus.not_supported),
    ],
)
def test_change(
    configuration: Configuration, key: str, value: str, expected: ConfigurationStatus
) -> None:
    assert configuration.change(key, value) is expected


def test_an_accepted_change_is_read_back(configuration: Configuration) -> None:
    configuration.change("AuthorizeRemoteTxRequests", "FALSE")

    assert configuration.flag("AuthorizeRemoteTxRequests") is False
    assert configuration.get("AuthorizeRemoteTxRequests") is not None
