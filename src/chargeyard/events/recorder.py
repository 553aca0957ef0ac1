"""Recording a domain event inside the current unit of work.

`kind` is one of the `EventKind` constants of `events/payloads.py`, and `data` must be of its
payload type: mypy refuses a payload of another type (or one it cannot tell, such as a bare dict
literal written inside the call: build it as an annotated variable or by calling the TypedDict).
"""

from datetime import datetime

from chargeyard.events.domain import RecordedEvent
from chargeyard.events.models import Event
from chargeyard.events.payloads import EventKind, P
from chargeyard.storage.appended import Values
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import Outbox


def record_event(
    uow: Outbox,
    *,
    organization_id: str,
    kind: EventKind[P],
    occurred_at: datetime,
    data: P,
    station_id: str | None = None,
    transaction_id: int | None = None,
) -> RecordedEvent:
    """The event's row is inserted with the unit's commit; its listeners hear of it after."""
    event = RecordedEvent(
        id=new_id(),
        organization_id=organization_id,
        type=kind.name,
        occurred_at=occurred_at,
        station_id=station_id,
        transaction_id=transaction_id,
        data=data,
    )
    uow.publish(event, Values(Event, event.row()))
    return event
