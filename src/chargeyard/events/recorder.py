"""Recording a domain event inside the current unit of work."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chargeyard.events.domain import RecordedEvent
from chargeyard.events.models import Event
from chargeyard.storage.appended import Values
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import Outbox


def record_event(
    uow: Outbox,
    *,
    organization_id: str,
    type: str,
    occurred_at: datetime,
    data: Mapping[str, Any],
    station_id: str | None = None,
    transaction_id: int | None = None,
) -> RecordedEvent:
    """The event's row is inserted with the unit's commit; its listeners hear of it after."""
    event = RecordedEvent(
        id=new_id(),
        organization_id=organization_id,
        type=type,
        occurred_at=occurred_at,
        station_id=station_id,
        transaction_id=transaction_id,
        data=data,
    )
    uow.publish(event, Values(Event, event.row()))
    return event
