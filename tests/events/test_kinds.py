"""Event kinds (`events/payloads.py`): mypy refuses a payload of the wrong type for its kind, and
the kinds are the one list of event types that `KINDS` and `PAYLOADS` are read from.

The mypy run checks a small snippet only (the recorder and the payload module it imports, from
the cache after the first run), not the whole source: the whole source is `scripts/check`'s.
"""

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from mypy import api

import chargeyard.events.payloads as payloads
from chargeyard.events.domain import RecordedEvent
from chargeyard.events.payloads import (
    KINDS,
    PAYLOADS,
    STATION_BOOTED,
    STATION_CONNECTED,
    EventKind,
)
from chargeyard.station_reports.domain import EVENT_KINDS, ReportKind

HEADER = """\
from datetime import UTC, datetime

from chargeyard.events.payloads import STATION_BOOTED, StationBooted, StationConnected
from chargeyard.events.recorder import record_event
from chargeyard.storage.unit_of_work import Outbox


def emit(uow: Outbox) -> None:
"""

BOOTED = """\
booted: StationBooted = {
    "station_id": "CP1",
    "status": "Accepted",
    "reason": None,
    "admission": None,
    "protocol": "ocpp1.6",
    "vendor": "Acme",
    "model": "X",
    "serial_number": None,
    "charge_box_serial_number": None,
    "firmware_version": None,
    "iccid": None,
    "imsi": None,
    "meter_type": None,
    "meter_serial_number": None,
}
"""

CONNECTED = """\
connected: StationConnected = {
    "station_id": "CP1", "protocol": "ocpp1.6", "replaced_previous": False
}
"""


def record(payload: str) -> str:
    return f"""\
record_event(
    uow,
    organization_id="org",
    kind=STATION_BOOTED,
    occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
    data={payload},
)
"""


def mypy(tmp_path: Path, body: str) -> tuple[str, int]:
    module = tmp_path / "snippet.py"
    module.write_text(HEADER + textwrap.indent(body, "    "))
    root = Path(__file__).parents[2]
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--config-file",
            str(root / "pyproject.toml"),
            "--cache-dir",
            str(root / ".mypy_cache"),
            str(module),
        ]
    )
    return stdout + stderr, status


def test_mypy_refuses_a_payload_of_another_kind_and_passes_the_right_one(tmp_path: Path) -> None:
    wrong, status = mypy(tmp_path, CONNECTED + record("connected"))
    assert status == 1, wrong
    # mypy cannot find one payload type that fits both the kind and the payload: the call's
    # line is refused ("Cannot infer value of type parameter "P" of "record_event"").
    assert f"snippet.py:{HEADER.count(chr(10)) + CONNECTED.count(chr(10)) + 1}:" in wrong, wrong
    assert "record_event" in wrong, wrong
    right, status = mypy(tmp_path, BOOTED + record("booted"))
    assert status == 0, right


def test_every_kind_is_in_the_mappings_once_named_after_its_type() -> None:
    """A second constant with a name already used would silently replace the first in `KINDS`;
    the constants are named after their types, so a reader finds one from the other."""
    constants = {
        name: value for name, value in vars(payloads).items() if isinstance(value, EventKind)
    }
    assert len(constants) == len(KINDS) == len(PAYLOADS)
    for name, kind in constants.items():
        assert name == kind.name.upper().replace(".", "_"), name
        assert KINDS[kind.name] is kind
        assert PAYLOADS[kind.name] is kind.payload
    assert KINDS["station.booted"] is STATION_BOOTED


def test_each_station_report_kind_is_recorded_as_its_station_event() -> None:
    assert set(EVENT_KINDS) == set(ReportKind)
    for report, kind in EVENT_KINDS.items():
        assert kind.name == f"station.{report.value}", report


def read(key: str) -> str:
    return f"""\
from chargeyard.events.domain import RecordedEvent

def protocol(event: RecordedEvent) -> object:
    booted = STATION_BOOTED.data_of(event)
    return None if booted is None else booted["{key}"]
"""


def test_data_of_gives_the_payload_of_its_kind_only() -> None:
    data = {"station_id": "CP1", "protocol": "ocpp2.1", "replaced_previous": False}
    event = RecordedEvent(
        "e1", "org", "station.connected", datetime(2026, 1, 1, tzinfo=UTC), "CP1", None, data
    )
    assert STATION_CONNECTED.data_of(event) is data
    assert STATION_BOOTED.data_of(event) is None


def test_mypy_refuses_a_key_the_payload_of_data_of_does_not_have(tmp_path: Path) -> None:
    wrong, status = mypy(tmp_path, read("protocl"))
    assert status == 1, wrong
    assert 'TypedDict "StationBooted" has no key "protocl"' in wrong, wrong
    right, status = mypy(tmp_path, read("protocol"))
    assert status == 0, right
