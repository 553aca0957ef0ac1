"""The metrics module: label values a station cannot inflate, and worker processes whose samples
are merged through PROMETHEUS_MULTIPROC_DIR (what `serve --workers` relies on)."""

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.observability import metrics
from chargeyard.observability.loop_lag import LoopLagMonitor
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


async def test_a_blocked_loop_is_measured_as_lag() -> None:
    """The monitor's timer runs late by as long as something held the loop: the blocking call
    below holds it for 0.3 s, so one observation is at least 0.3 s minus the interval."""
    lags: list[float] = []
    seen = asyncio.Event()

    def observe(seconds: float) -> None:
        lags.append(seconds)
        if seconds > 0:
            seen.set()

    monitor = LoopLagMonitor(interval_s=0.01, observe=observe)
    monitor.start()
    try:
        await asyncio.sleep(0)  # the monitor's timer is set
        time.sleep(0.3)  # noqa: ASYNC251 (the point: hold the loop, as slow synchronous work does)
        async with asyncio.timeout(30):
            await seen.wait()
        assert max(lags) >= 0.29
    finally:
        await monitor.stop()


async def test_every_round_of_a_job_is_timed() -> None:
    class Job(PeriodicJob):
        name = "metrics.test-job"
        failure = "the test job failed"

        async def run_once(self) -> object:
            return None

    def rounds() -> float:
        value = REGISTRY.get_sample_value("chargeyard_job_round_seconds_count", {"job": Job.name})
        return value or 0.0

    before = rounds()
    job = Job(None, 60.0)
    await job.round()
    await job.round()
    assert rounds() == before + 2
