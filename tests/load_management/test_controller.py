"""The control loop hears each event once, whether it comes first from this node's commit or
from the event log's tail (which holds every node's events): a fresh boot heard twice makes
delivery forget profiles the station accepted since. The end-to-end consequence, on stations,
is `test_admission.test_a_boot_heard_again_from_the_event_log_forgets_no_profile`."""

from datetime import UTC, datetime

import pytest

from chargeyard.clock import utcnow
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import Command
from chargeyard.events.domain import RecordedEvent
from chargeyard.load_management.controller import SmartChargingController
from chargeyard.storage.base import new_id
from chargeyard.storage.database import Database
from tests.alerts.test_domain import BOOTED
from tests.conftest import Tenant


class Unreachable(Dispatcher):
    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        raise AssertionError("hearing events sends nothing")


def _booted(station_id: str) -> RecordedEvent:
    """A boot held for admission, with its whole payload (`StationBooted`)."""
    held = {**BOOTED, "status": "Pending", "admission": "held"}
    del held["station_id"]  # `_event` puts the station's first
    return _event("station.booted", station_id, **held)


def _event(type: str, station_id: str, **data: object) -> RecordedEvent:
    return RecordedEvent(
        id=new_id(),
        organization_id="org",
        type=type,
        occurred_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        station_id=station_id,
        transaction_id=None,
        data={"station_id": station_id, **data},
    )


async def test_an_event_is_heard_once_whichever_way_comes_first(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tenant.server.settings.database_url)
    controller = SmartChargingController(db, Unreachable(), utcnow, LeaseKeeper(db, "test", 12.0))
    forgotten: list[str] = []
    monkeypatch.setattr(
        controller.delivery, "forget_station", lambda _org, station_id: forgotten.append(station_id)
    )
    committed_first = _booted("A")
    logged_first = _booted("B")
    elsewhere = _booted("C")
    unrelated = _event("station.heartbeat", "A")
    try:
        controller([committed_first, unrelated])  # this node's commit ...
        controller._hear([committed_first, logged_first, unrelated])  # ... then the log's tail
        controller([logged_first])  # the commit's announcement after the tail read it
        controller._hear([elsewhere])  # another node's: the tail is its only way here
    finally:
        await db.dispose()
    assert forgotten == ["A", "B", "C"]
    # Events met both ways are let go; another node's stays until the memory's cap drops it.
    assert list(controller._heard) == [elsewhere.id]
