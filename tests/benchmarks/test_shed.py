"""benchmarks/shed.py runs end to end: a smoke test of the script, not a measurement.

Twenty upgrade requests against a server with every handshake slot held: each is answered 503
and the report comes out. The CPU figure itself is not checked (timing on a shared machine
decides it)."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "shed.py"


def test_every_handshake_to_a_full_server_is_shed() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--attempts", "20", "--concurrency", "5", "--settle", "0.2"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "answers: {'HTTP/1.1 503 Service Unavailable': 20}" in done.stdout, done.stdout
    assert "ms per shed handshake" in done.stdout, done.stdout
