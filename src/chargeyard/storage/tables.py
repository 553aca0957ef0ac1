"""Imports every table module so that `Base.metadata` is complete (migrations, tests)."""

from chargeyard.alert_notifications import models as alert_notifications
from chargeyard.alerts import models as alerts
from chargeyard.capacity_windows import models as capacity_windows
from chargeyard.cdrs import models as cdrs
from chargeyard.charging_limits import models as charging_limits
from chargeyard.charging_needs import models as charging_needs
from chargeyard.circuits import models as circuits
from chargeyard.cluster import models as cluster
from chargeyard.commands import models as commands
from chargeyard.demand_response import models as demand_response
from chargeyard.device_model import models as device_model
from chargeyard.drivers import models as drivers
from chargeyard.energy_costs import models as energy_costs
from chargeyard.energy_prices import models as energy_prices
from chargeyard.error_codes import models as error_codes
from chargeyard.event_streams import models as event_streams
from chargeyard.events import models as events
from chargeyard.evse_wiring import models as evse_wiring
from chargeyard.external_meters import models as external_meters
from chargeyard.files import models as files
from chargeyard.hardware_templates import models as hardware_templates
from chargeyard.id_tags import models as id_tags
from chargeyard.kpis import models as kpis
from chargeyard.load_management import models as load_management
from chargeyard.locations import models as locations
from chargeyard.maintenance_windows import models as maintenance_windows
from chargeyard.measurements import models as measurements
from chargeyard.message_log import models as message_log
from chargeyard.organizations import models as organizations
from chargeyard.permissions import models as permissions
from chargeyard.planned_routes import models as planned_routes
from chargeyard.reconciliation import models as reconciliation
from chargeyard.reports import models as reports
from chargeyard.reservations import models as reservations
from chargeyard.retention import models as retention
from chargeyard.security_events import models as security_events
from chargeyard.session_needs import models as session_needs
from chargeyard.settlements import models as settlements
from chargeyard.station_reports import models as station_reports
from chargeyard.stations import models as stations
from chargeyard.storage import health_probe
from chargeyard.subscriptions import models as subscriptions
from chargeyard.tag_groups import models as tag_groups
from chargeyard.tariff_groups import models as tariff_groups
from chargeyard.tariffs import models as tariffs
from chargeyard.telematics import models as telematics
from chargeyard.transaction_events import models as transaction_events
from chargeyard.transactions import models as transactions
from chargeyard.vehicle_groups import models as vehicle_groups
from chargeyard.vehicles import models as vehicles
from chargeyard.vouchers import models as vouchers
from chargeyard.webhooks import models as webhooks

__all__ = [
    "alert_notifications",
    "alerts",
    "capacity_windows",
    "cdrs",
    "charging_limits",
    "charging_needs",
    "circuits",
    "cluster",
    "commands",
    "demand_response",
    "device_model",
    "drivers",
    "energy_costs",
    "energy_prices",
    "error_codes",
    "event_streams",
    "events",
    "evse_wiring",
    "external_meters",
    "files",
    "hardware_templates",
    "health_probe",
    "id_tags",
    "kpis",
    "load_management",
    "locations",
    "maintenance_windows",
    "measurements",
    "message_log",
    "organizations",
    "permissions",
    "planned_routes",
    "reconciliation",
    "reports",
    "reservations",
    "retention",
    "security_events",
    "session_needs",
    "settlements",
    "station_reports",
    "stations",
    "subscriptions",
    "tag_groups",
    "tariff_groups",
    "tariffs",
    "telematics",
    "transaction_events",
    "transactions",
    "vehicle_groups",
    "vehicles",
    "vouchers",
    "webhooks",
]
