"""Everything the dashboard serves, for the app factory to mount."""

from pathlib import Path

from starlette.routing import BaseRoute

from chargeyard.dashboard import (
    actions,
    alert_notifications,
    alert_rules,
    alerts,
    cdrs,
    charging_needs,
    circuit_editing,
    circuits,
    command_log,
    demand_response,
    device_model,
    drivers,
    endpoints,
    energy_prices,
    events,
    firmware,
    hardware_templates,
    id_tags,
    kpis,
    live,
    locations,
    maintenance_windows,
    monitors,
    permissions,
    reconciliation,
    reports,
    settlements,
    sign_in,
    station_configuration,
    station_placement,
    subscriptions,
    tag_groups,
    tariff_groups,
    tariffs,
    tokens,
    users,
    vehicles,
    vendor_error_codes,
    vouchers,
    webhooks,
    wiring,
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
    events.router,
    command_log.router,
    alert_rules.router,
    alert_notifications.router,
    tariffs.router,
    drivers.router,
    vouchers.router,
    maintenance_windows.router,
    subscriptions.router,
    tariff_groups.router,
    cdrs.router,
    locations.router,
    reports.router,
    tag_groups.router,
    permissions.router,
    hardware_templates.router,
    settlements.router,
    station_placement.router,
    kpis.router,
    reconciliation.router,
    vendor_error_codes.router,
    vehicles.router,
    firmware.router,
    device_model.router,
    monitors.router,
    station_configuration.router,
    wiring.router,
    energy_prices.router,
    demand_response.router,
    charging_needs.router,
)


def dashboard_routes() -> list[BaseRoute]:
    """Every route of the dashboard, as served (no prefix): where a refused form looks up the
    page it was sent from (`sent_from`)."""
    return [route for router in DASHBOARD_ROUTERS for route in router.routes]
