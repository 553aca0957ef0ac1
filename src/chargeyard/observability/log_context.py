"""What a log line is about: the station, its protocol, the CALL or command being handled.

The context lives in contextvars (structlog's), so every log record made while handling a
station's socket carries `station_id` and `protocol`, and while handling one CALL also `action`
and `message_id`, whatever module logs it. Tasks spawned meanwhile inherit it.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from structlog.contextvars import bind_contextvars, bound_contextvars, reset_contextvars

from chargeyard.observability.metrics import OTHER_ACTION, observe_call

logger = logging.getLogger(__name__)


@contextmanager
def station_context(station_id: str, protocol: str) -> Iterator[None]:
    """For the life of one station's connection."""
    with bound_contextvars(station_id=station_id, protocol=protocol):
        yield


@dataclass
class CallObservation:
    """How one inbound CALL ended; `accepted` unless the handler says otherwise."""

    action: str
    result: str = "accepted"
    started: float = field(default_factory=time.perf_counter)


@contextmanager
def observing_call(action: str, message_id: str, *, known: bool) -> Iterator[CallObservation]:
    """Around the handling of one CALL: binds `action` and `message_id` to its log lines, and
    records its result and latency in the metrics when it ends. `known`: the action is one of
    the protocol's (others are counted as `other`, so a station cannot invent label values)."""
    observation = CallObservation(action)
    # Set and reset by token rather than structlog's `bound_contextvars`, which copies the whole
    # context to save what it overrides and binds it again afterwards: the same effect (the
    # previous values, or none, once the CALL ends) for a third of the CPU, on every CALL.
    tokens = bind_contextvars(action=action, message_id=message_id)
    try:
        yield observation
        if logger.isEnabledFor(logging.DEBUG):
            seconds = time.perf_counter() - observation.started
            logger.debug("call answered", extra={"result": observation.result, "ms": seconds * 1e3})
    except BaseException:
        # The answer could not be sent (the socket closed under it, or the task was cancelled).
        observation.result = "unanswered"
        raise
    finally:
        reset_contextvars(**tokens)
        label = action if known else OTHER_ACTION
        observe_call(label, observation.result, time.perf_counter() - observation.started)
