"""The metrics module: label values a station cannot inflate, and worker processes whose samples
are merged through PROMETHEUS_MULTIPROC_DIR (what `serve --workers` relies on)."""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from chargeyard.observability import metrics
from tests.api.test_metrics import sample

WORKER = """
from chargeyard.observability import metrics
metrics.station_connected("ocpp1.6")
metrics.observe_call("Heartbeat", "accepted", 0.002)
"""


def test_malformed_actions_are_labelled_other() -> None:
    assert metrics.action_label("Heartbeat") == "Heartbeat"
    assert metrics.action_label("remote-start") == "remote-start"
    assert metrics.action_label('Evil"}\n') == metrics.OTHER_ACTION
    assert metrics.action_label("x" * 65) == metrics.OTHER_ACTION
    assert metrics.action_label(None) == metrics.OTHER_ACTION


async def run_worker(directory: Path) -> int:
    env = os.environ | {metrics.MULTIPROC_ENV: str(directory)}
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", WORKER, env=env)
    assert await asyncio.wait_for(process.wait(), 60) == 0
    return process.pid


async def test_worker_processes_are_summed_and_a_dead_worker_stops_counting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "stale.db").write_bytes(b"left over by a previous run")
    # Noted first so that monkeypatch restores the variable's absence afterwards.
    monkeypatch.setenv(metrics.MULTIPROC_ENV, "")
    metrics.prepare_multiprocess_dir(directory)  # sets it in this process's environment
    assert list(directory.iterdir()) == []
    first = await run_worker(directory)
    await run_worker(directory)

    text = metrics.render(str(directory)).decode()
    calls = {"action": "Heartbeat", "result": "accepted"}
    assert sample(text, "chargeyard_ocpp_calls_total", **calls) == 2
    assert sample(text, "chargeyard_connected_stations", protocol="ocpp1.6") == 2

    metrics.worker_exited(first)
    text = metrics.render(str(directory)).decode()
    assert sample(text, "chargeyard_connected_stations", protocol="ocpp1.6") == 1
    assert sample(text, "chargeyard_ocpp_calls_total", **calls) == 2  # counters survive


def test_one_process_serves_the_default_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(metrics.MULTIPROC_ENV, raising=False)
    assert metrics.scrape_registry() is metrics.REGISTRY
