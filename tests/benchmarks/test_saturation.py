"""benchmarks/saturation.py runs end to end: a smoke test of the script, not a measurement.

Five stations against the plain ocpp-library server for one second: every station connects
and boots, the closed loop gets answers, and the report table comes out. The plain server
validates every CALL against the `ocpp` library's schemas, so no CALLERROR also shows that the
generator's prebuilt frames are valid 1.6 and 2.0.1. The figures themselves are not checked
(timing on a shared machine decides them).
"""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "saturation.py"
_SHORT = ["--warmup", "0.3", "--duration", "1", "--protocol"]


@pytest.mark.parametrize("protocol", ["ocpp1.6", "ocpp2.0.1"])
def test_saturation_against_the_plain_server(protocol: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--only", "plain", "--stations", "5", *_SHORT, protocol],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| plain ocpp |")]
    assert len(rows) == 1, done.stdout
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    header = [
        "server",
        "connected",
        "CALLs/s",
        "p50",
        "p99",
        "server CPU",
        "CPU ms/CALL",
        "RSS",
        "CALLERRORs",
        "timeouts",
        "dropped",
    ]
    row = dict(zip(header, cells, strict=False))
    assert row["connected"] == "5/5"
    assert float(row["CALLs/s"].replace(",", "")) > 0
    assert row["CALLERRORs"] == "0"
    assert row["dropped"] == "0"
    assert "load average (1 min) at start" in done.stdout
