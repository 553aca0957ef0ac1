"""The suite's HTTP client: httpx with a timeout sized for a loaded test machine."""

from typing import Any

import httpx

TIMEOUT_S = 60.0
"""httpx's own default (5 s) is a verdict on the machine, not on Chargeyard: with the suite's
workers on every core beside other work, a dashboard page or a request crossing two cluster
nodes has taken longer. A request that hangs for real still fails, at this bound, and the
watchdog (`tests/support/watchdog.py`) shows where it waits."""


def http_client(**kwargs: Any) -> httpx.AsyncClient:
    """`httpx.AsyncClient(**kwargs)`, with `TIMEOUT_S` unless the caller sets a timeout."""
    kwargs.setdefault("timeout", TIMEOUT_S)
    return httpx.AsyncClient(**kwargs)
