"""Imports every table module so that `Base.metadata` is complete (migrations, tests)."""

from chargeyard.events import models as events
from chargeyard.id_tags import models as id_tags
from chargeyard.locations import models as locations
from chargeyard.message_log import models as message_log
from chargeyard.organizations import models as organizations
from chargeyard.stations import models as stations
from chargeyard.transactions import models as transactions

__all__ = [
    "events",
    "id_tags",
    "locations",
    "message_log",
    "organizations",
    "stations",
    "transactions",
]
