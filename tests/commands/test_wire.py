"""Every neutral command survives the trip to another worker: JSON and back is the same value."""

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chargeyard.commands import wire
from chargeyard.commands.domain import Command, RemoteStart

# A command's numbers come from validated REST bodies: finite. (Registered for the run; no other
# test draws Decimals by type.)
st.register_type_strategy(Decimal, st.decimals(allow_nan=False, allow_infinity=False))

CLASSES = sorted(wire.COMMANDS.values(), key=lambda cls: cls.__name__)


def test_every_command_class_is_registered() -> None:
    names = {cls.__name__ for cls in CLASSES}
    assert {"RemoteStart", "SetChargingProfile", "GetVariables", "SetDisplayMessage"} <= names
    assert len(names) == len(CLASSES) >= 37


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_command_round_trips(cls: type[Command], data: st.DataObject) -> None:
    command = data.draw(st.from_type(cls))
    dumped = json.loads(json.dumps(wire.dump_command(command)))
    assert wire.load_command(dumped) == command


def test_a_type_that_is_no_command_is_refused() -> None:
    with pytest.raises(wire.UnknownCommand):
        wire.load_command({"type": "Outcome", "fields": {}})
    with pytest.raises(wire.UnknownCommand):
        wire.load_command("RemoteStart")
    assert wire.load_command({"type": "RemoteStart", "fields": {"id_tag": "T"}}) == RemoteStart(
        id_tag="T"
    )
