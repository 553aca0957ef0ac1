"""The charging-state read (`KpiRepository.charging_states`) against real SQLite: it leaves
out the rows that would not change whether energy flows, and what remains makes the same
charging timeline as every event and end read one by one."""

from datetime import UTC, datetime, timedelta

from chargeyard.kpis.domain import CHARGING
from chargeyard.kpis.repository import KpiRepository, Scope
from chargeyard.kpis.service import charging_timeline
from chargeyard.storage.database import Database
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transactions.models import Transaction
from tests.commands.conftest import register
from tests.conftest import Tenant

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
SESSIONS: list[tuple[list[str], int | None]] = [
    # The states a session reported, one a minute, and when it ended (minutes; None: open).
    (["EVConnected", "Charging", "SuspendedEV", "EVConnected"], 5),
    (["Charging", "Charging", "Charging", "SuspendedEV", "Charging"], 6),  # ends charging
    (["EVConnected", "SuspendedEVSE", "Idle"], 4),  # never charges
    (["EVConnected", "Charging", "Charging"], None),  # still charging
    (["Charging", "EVConnected", "Charging", "SuspendedEV", "SuspendedEV", "Charging"], 9),
    ([], 3),  # no state at all (1.6, or an older 2.x station)
]


def collapsed(changes: list[tuple[datetime, int, bool]]) -> list[tuple[datetime, bool]]:
    """The instants the flow starts or stops, as the service's timeline reads the rows."""
    found, flowing = [], False
    for at, state in charging_timeline(changes).changes:
        if state != flowing:
            found.append((at, state))
            flowing = state
    return found


async def test_only_changes_of_the_flow_are_read(tenant: Tenant) -> None:
    station_id = await register(tenant)
    org = tenant.organization_id
    expected: dict[int, list[tuple[datetime, int, bool]]] = {}
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            for evse, (states, stop) in enumerate(SESSIONS, start=1):
                session = Transaction(
                    organization_id=org,
                    station_id=station_id,
                    evse_id=evse,
                    connector_id=1,
                    auth_status="Accepted",
                    started_at=T0,
                    stopped_at=None if stop is None else T0 + stop * MINUTE,
                    meter_start_wh=0,
                    revision=1,
                )
                uow.session.add(session)
                await uow.session.flush()
                everything = expected.setdefault(evse, [])
                for seq, state in enumerate(states):
                    at = T0 + seq * MINUTE
                    uow.session.add(
                        TransactionEventRecord(
                            organization_id=org,
                            station_id=station_id,
                            transaction_id=session.id,
                            seq_no=seq,
                            event_type="Updated",
                            trigger_reason="ChargingStateChanged",
                            occurred_at=at,
                            charging_state=state,
                        )
                    )
                    everything.append((at, 1, state == CHARGING))
                if stop is not None:
                    everything.append((T0 + stop * MINUTE, 2, False))
            await uow.commit()
        async with db.reading() as uow:
            rows = await KpiRepository(uow.session, Scope(org, station_id)).charging_states(
                T0, T0 + 60 * MINUTE
            )
    finally:
        await db.dispose()

    read: dict[int, list[tuple[datetime, int, bool]]] = {}
    for row in rows:
        ended = row.state is None
        read.setdefault(row.evse_id, []).append(
            (row.at, 1 + ended, not ended and row.state == CHARGING)
        )
    for evse in expected:
        assert collapsed(read.get(evse, [])) == collapsed(expected[evse]), evse
    # The first session: its first state, Charging and the state that stopped it, not its four
    # states and its end; where energy never flowed, the first state alone; the end only where
    # the session was still charging.
    by_evse = {evse: len(changes) for evse, changes in read.items()}
    assert by_evse[1] == 3 and by_evse[3] == 1 and by_evse[6] == 1
    assert len(rows) < sum(len(states) + (stop is not None) for states, stop in SESSIONS)
