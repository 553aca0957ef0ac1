"""The command modules name some choices themselves, so that the CLI's start imports neither
the simulator nor cryptography (`cli/app.py`): they stay the ones the work behind them takes."""

from chargeyard.certificates.domain import KeyType
from chargeyard.cli import certificates, simulate
from chargeyard.simulator import fleet
from chargeyard.simulator.protocols import ProtocolVersion


def test_the_simulate_protocols_are_the_simulators() -> None:
    assert [p.value for p in simulate.Protocol] == [p.value for p in ProtocolVersion]
    assert simulate.DEFAULT_URL == fleet.DEFAULT_URL


def test_the_certificate_key_types_are_the_authoritys() -> None:
    assert [k.value for k in certificates.KeyChoice] == [k.value for k in KeyType]
