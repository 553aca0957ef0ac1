"""benchmarks/hot_path.py runs end to end: a smoke test of the script, not a measurement.

Three stations for a few hundred CALLs of each protocol's cycle through the real sessions on a
fresh SQLite file, after the plain library baseline: no CALLERROR from either (the cycle's
transactions start, meter and stop), and the table and the ratio come out. The figures are not
checked (timing on a shared machine decides them).
"""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "hot_path.py"
_SHORT = ["--stations", "3", "--calls", "300", "--warmup", "30"]


@pytest.mark.parametrize("protocol", ["ocpp1.6", "ocpp2.0.1"])
def test_hot_path_runs_both_handlers_without_errors(protocol: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *_SHORT, "--protocol", protocol],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    rows = {
        cells[0]: cells[1:]
        for line in done.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| handler")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    assert set(rows) == {"plain ocpp ChargePoint", "chargeyard session"}
    assert all(row[2] == "0" for row in rows.values())  # no CALLERROR
    assert "chargeyard / plain CPU per CALL:" in done.stdout
