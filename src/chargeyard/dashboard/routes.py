"""Everything the dashboard serves, for the app factory to mount."""

from pathlib import Path

from chargeyard.dashboard import (
    actions,
    alert_rules,
    alerts,
    circuit_editing,
    circuits,
    drivers,
    endpoints,
    id_tags,
    live,
    reports,
    sign_in,
    tariffs,
    tokens,
    users,
    vouchers,
    webhooks,
)

STATIC_DIRECTORY = Path(__file__).parent / "static"

# Sign-in first, then the live feeds and actions, then the pages.
DASHBOARD_ROUTERS = (
    sign_in.router,
    live.router,
    actions.router,
    endpoints.router,
    id_tags.router,
    users.router,
    circuits.router,
    circuit_editing.router,
    tokens.router,
    webhooks.router,
    alerts.router,
    alert_rules.router,
    tariffs.router,
    drivers.router,
    vouchers.router,
    reports.router,
)
