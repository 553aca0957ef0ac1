"""Alert tests: a tenant's alerts, waited for with a deadline (the evaluator runs in the
background, woken by the event sequencer and its own sweep)."""

import asyncio
from collections.abc import Callable
from typing import Any

from tests.commands.conftest import online
from tests.conftest import Tenant

__all__ = ["online", "wait_for_alert"]

DEADLINE_S = 20.0


async def alerts(tenant: Tenant, **params: Any) -> list[dict[str, Any]]:
    response = await tenant.api.get("/alerts", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def wait_for_alert(
    tenant: Tenant,
    match: Callable[[dict[str, Any]], bool] = lambda _: True,
    deadline_s: float = DEADLINE_S,
    **params: Any,
) -> dict[str, Any]:
    """The first alert the list (with `params`) shows that `match`es, once it does."""
    loop = asyncio.get_running_loop()
    until = loop.time() + deadline_s
    while True:
        for alert in await alerts(tenant, **params):
            if match(alert):
                return alert
        assert loop.time() < until, f"no matching alert within {deadline_s} s ({params})"
        await asyncio.sleep(0.1)
