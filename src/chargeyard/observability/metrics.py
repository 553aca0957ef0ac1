"""Every Prometheus metric Chargeyard exports, and the helpers that record and serve them.

All metric objects live here, named `chargeyard_*`, so `GET /metrics` and docs/deployment.md have
one place to read. Other packages record through the small functions below (or the objects
directly) and never build metrics of their own.

Multiprocess: prometheus-client picks its storage when it is imported. With
`PROMETHEUS_MULTIPROC_DIR` set in the environment, every process writes its samples to files in
that directory and a scrape merges them (`scrape_registry`). `chargeyard serve --workers N` must
therefore, in the parent and before any worker imports this module:

1. call `prepare_multiprocess_dir(path)` (it empties the directory of a previous run and sets the
   environment variable, which the workers inherit), and
2. call `worker_exited(pid)` whenever a worker process exits, so its live gauges (connected
   stations) stop counting.

Without the variable (one process), the default registry is served. Gauges say how processes
combine: `livesum` for connected stations, `mostrecent` for the webhook queue depth, a value every
process reads from the shared database.
"""

import os
import re
import shutil
from pathlib import Path
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

# `*_created` series (a timestamp per counter and histogram) double the output for no use here.
disable_created_metrics()  # type: ignore[no-untyped-call]

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE: Final = CONTENT_TYPE_LATEST

# Latencies from a fraction of a millisecond (a cached Heartbeat) to a station's call timeout.
_LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip
_BATCH_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)

CONNECTED_STATIONS = Gauge(
    "chargeyard_connected_stations",
    "Stations whose WebSocket this node holds, by OCPP subprotocol.",
    ["protocol"],
    multiprocess_mode="livesum",
)
OCPP_CALLS = Counter(
    "chargeyard_ocpp_calls",
    "CALLs received from stations, by action and result (accepted, callerror, internal_error).",
    ["action", "result"],
)
OCPP_HANDLER_SECONDS = Histogram(
    "chargeyard_ocpp_handler_seconds",
    "Time from a CALL's arrival to its answer being sent, by action.",
    ["action"],
    buckets=_LATENCY_BUCKETS,
)
DB_COMMIT_SECONDS = Histogram(
    "chargeyard_db_commit_seconds",
    "Time one database commit takes, by kind (unit: a unit of work; group: a group commit).",
    ["kind"],
    buckets=_LATENCY_BUCKETS,
)
DB_COMMIT_BATCH_SIZE = Histogram(
    "chargeyard_db_commit_batch_size",
    "Units of work made durable by one commit (1 outside group commit).",
    buckets=_BATCH_BUCKETS,
)
DB_WRITE_FAILURES = Counter(
    "chargeyard_db_write_failures",
    "Writes that failed in the database (full disk, read-only file, lost connection...).",
)
COMMAND_SECONDS = Histogram(
    "chargeyard_command_seconds",
    "Time an outbound command to a station took, from sending to its answer, by action.",
    ["action"],
    buckets=_LATENCY_BUCKETS,
)
COMMANDS = Counter(
    "chargeyard_commands",
    "Outbound commands by action and outcome (answered, offline, timeout, callerror, refused).",
    ["action", "outcome"],
)
BUS_ROUND_TRIP_SECONDS = Histogram(
    "chargeyard_bus_round_trip_seconds",
    "Round trip of a request over the cluster bus (e.g. a command relayed to another node).",
    ["operation"],
    buckets=_LATENCY_BUCKETS,
)
WEBHOOK_QUEUE_DEPTH = Gauge(
    "chargeyard_webhook_queue_depth",
    "Webhook deliveries waiting to be sent (pending, in the database).",
    multiprocess_mode="mostrecent",
)
SMART_CHARGING_STEP_SECONDS = Histogram(
    "chargeyard_smart_charging_step_seconds",
    "Time one smart-charging step (read, optimize, deliver, record) took for an organization.",
    buckets=_LATENCY_BUCKETS,
)
JOB_ROUND_SECONDS = Histogram(
    "chargeyard_job_round_seconds",
    "Time one round of a background job took on this worker (`cluster/periodic.py`'s jobs: the "
    "event sequencer, alert evaluator, reservation expiry, retention, ...), by job.",
    ["job"],
    buckets=_LATENCY_BUCKETS,
)
EVENT_LOOP_LAG_SECONDS = Histogram(
    "chargeyard_event_loop_lag_seconds",
    "How late the worker's event loop ran a timer (`observability/loop_lag.py`): the time every "
    "socket, request and job of the worker waited for work already running on the loop.",
    buckets=_LATENCY_BUCKETS,
)
MESSAGE_LOG_DROPPED_FRAMES = Counter(
    "chargeyard_message_log_dropped_frames",
    "Message-log frames dropped because the database refused writes for too long.",
)
HANDSHAKES_SHED = Counter(
    "chargeyard_handshakes_shed",
    "Station handshakes answered 503 because the worker was admitting its limit of others "
    "(`ws_handshake_concurrency`) or the request had waited in the kernel's queues past "
    "`QUEUED_TOO_LONG_S` (5 s): a reconnect storm held back.",
)
HANDSHAKES_ABANDONED = Counter(
    "chargeyard_handshakes_abandoned",
    "Station handshake requests dropped unanswered because the station had closed its socket "
    "(its own handshake timeout) before the worker read them.",
)
SIGN_IN_FAILURES = Counter(
    "chargeyard_sign_in_failures",
    "Refused sign-ins by channel (handshake, basic) and outcome (unknown: no such station or "
    "e-mail, refused: known name, wrong or missing credentials, locked: refused unchecked "
    "during a lockout).",
    ["channel", "outcome"],
)
SIGN_IN_LOCKOUTS = Counter(
    "chargeyard_sign_in_lockouts",
    "Lockouts started after repeated failed sign-ins, by channel (handshake, basic).",
    ["channel"],
)

# An action label comes from the station: bound its shape and the number of distinct values so a
# station sending random action names cannot grow the metrics without limit.
_ACTION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MAX_ACTIONS = 200
_seen_actions: set[str] = set()
OTHER_ACTION: Final = "other"


def action_label(action: str | None) -> str:
    """`action` as a label value, or `other` for malformed names or past the cap."""
    if action is None or not _ACTION.match(action):
        return OTHER_ACTION
    if action not in _seen_actions:
        if len(_seen_actions) >= _MAX_ACTIONS:
            return OTHER_ACTION
        _seen_actions.add(action)
    return action


_call_children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
"""(action, result) -> its counter and histogram children: `labels()` checks, joins and looks up
the label values under a lock on every call, and a CALL needs two. Bounded as the labels are
(`action_label`'s cap times the few results)."""


def observe_call(action: str, result: str, seconds: float) -> None:
    """One CALL from a station answered with `result` after `seconds`."""
    children = _call_children.get((action, result))
    if children is None:
        label = action_label(action)
        children = (OCPP_CALLS.labels(label, result), OCPP_HANDLER_SECONDS.labels(label))
        if label == action:  # `other` is not remembered: a later name may still fit the cap
            _call_children[action, result] = children
    calls, handler_seconds = children
    calls.inc()
    handler_seconds.observe(seconds)


def observe_commit(kind: str, seconds: float, units: int) -> None:
    """One successful commit of `units` units of work."""
    DB_COMMIT_SECONDS.labels(kind).observe(seconds)
    DB_COMMIT_BATCH_SIZE.observe(units)


def observe_command(action: str, outcome: str, seconds: float | None) -> None:
    """One outbound command; `seconds` is None when it was never sent."""
    label = action_label(action)
    COMMANDS.labels(label, outcome).inc()
    if seconds is not None:
        COMMAND_SECONDS.labels(label).observe(seconds)


def observe_job_round(job: str, seconds: float) -> None:
    """One round of the background job `job` (a fixed name in the code, never input) ran."""
    JOB_ROUND_SECONDS.labels(job).observe(seconds)


def observe_loop_lag(seconds: float) -> None:
    """The event loop ran a timer `seconds` after it was due."""
    EVENT_LOOP_LAG_SECONDS.observe(seconds)


def observe_bus_round_trip(operation: str, seconds: float) -> None:
    """One request over the cluster bus answered after `seconds` (e.g. `command`)."""
    BUS_ROUND_TRIP_SECONDS.labels(operation).observe(seconds)


def station_connected(protocol: str) -> None:
    CONNECTED_STATIONS.labels(protocol).inc()


def station_disconnected(protocol: str) -> None:
    CONNECTED_STATIONS.labels(protocol).dec()


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def scrape_registry(path: str | None = None) -> CollectorRegistry:
    """The registry `/metrics` serves: every process's samples merged when running multiprocess
    (`path`, or `PROMETHEUS_MULTIPROC_DIR`), this process's default registry otherwise."""
    path = path or multiprocess_dir()
    if path is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
    return registry


def render(path: str | None = None) -> bytes:
    """The Prometheus text exposition of every metric."""
    return generate_latest(scrape_registry(path))


def prepare_multiprocess_dir(path: Path) -> None:
    """For a parent that starts worker processes: an empty `path` (samples of a previous run
    would otherwise be summed into this one) named in the environment the workers inherit.
    Call it before any worker starts."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(path)


def worker_exited(pid: int) -> None:
    """For the parent of worker processes: `pid` is gone; its live gauges stop counting."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def handshake_shed() -> None:
    HANDSHAKES_SHED.inc()


def handshake_abandoned() -> None:
    HANDSHAKES_ABANDONED.inc()


def observe_sign_in_failure(channel: str, outcome: str, lockout_started: bool = False) -> None:
    """A refused station handshake or REST Basic sign-in (see `SIGN_IN_FAILURES`)."""
    SIGN_IN_FAILURES.labels(channel, outcome).inc()
    if lockout_started:
        SIGN_IN_LOCKOUTS.labels(channel).inc()
