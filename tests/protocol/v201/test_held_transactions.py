"""TransactionEvent Updated for a session the connection holds (transactions/held.py): one
guarded UPDATE, and the full path whenever the held copy cannot be confirmed."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import events_of
from tests.protocol.v201.conftest import V2Stations, sampled, tx_event
from tests.protocol.v201.conftest import meter as v2_meter


async def test_2x_updated_events_take_the_held_path_and_fall_back_when_it_is_stale(
    tenant: Tenant, v2: V2Stations
) -> None:
    async with v2.booted_v2() as station:
        station_id = station.station_id  # type: ignore[attr-defined]

        async def event(kind: str, seq_no: int, at: str, *samples: dict[str, Any]) -> None:
            fields: dict[str, Any] = {"trigger": "MeterValuePeriodic"}
            if samples:
                fields["meterValue"] = v2_meter(f"2026-06-02T{at}:00Z", *samples)
            if kind == "Started":
                fields["evse"] = {"id": 1, "connectorId": 1}
            await station.ok(
                "TransactionEvent",
                tx_event(kind, "tx-held", seq_no, f"2026-06-02T{at}:00Z", **fields),
            )

        await event("Started", 0, "10:00", sampled(1000, "Transaction.Begin"))
        await event("Updated", 1, "10:10", sampled(2000))  # held
        await event("Updated", 1, "10:10", sampled(2000))  # a resend: seen, the full path
        # A late Started corrects the start time: the row moves, the held copy goes stale.
        await event("Started", 2, "09:55")
        await event("Updated", 3, "10:20", sampled(3000))  # held copy refused: full path
        await event("Updated", 4, "10:30", sampled(4000))  # held again
    listed = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    tx = listed["items"][0]
    assert tx["started_at"] == "2026-06-02T09:55:00Z"
    assert (tx["last_meter_wh"], tx["stopped_at"]) == (4000, None)
    recorded = (await tenant.api.get(f"/transactions/{tx['id']}/events")).json()["items"]
    assert [(e["seq_no"], e["applied"]) for e in recorded] == [
        (0, True),
        (1, True),
        (2, True),
        (3, True),
        (4, True),
    ]
    values = (await tenant.api.get(f"/transactions/{tx['id']}/meter-values")).json()
    assert sorted(v["value"] for v in values["items"]) == ["1000", "2000", "3000", "4000"]
    updates = await events_of(tenant.server, station_id, "session.updated")
    # Each carries the session as it was (the Started event's own reading moves it too): the
    # corrected start once it was corrected, though the held copy still had the old one.
    assert [u["started_at"][11:16] for u in updates] == ["10:00", "10:00", "09:55", "09:55"]


async def test_events_recorded_on_an_earlier_connection_are_never_applied_twice(
    tenant: Tenant, v2: V2Stations
) -> None:
    """A held session's seqNo floor comes from what is recorded, not only from what this
    connection saw: replays after a reconnect, and a resend right after an event applied from
    memory, are recognised as duplicates."""
    station_id = await v2.register()

    async def event(station: Any, kind: str, seq_no: int, minute: int) -> None:
        fields: dict[str, Any] = {"trigger": "MeterValuePeriodic"}
        fields["meterValue"] = v2_meter(f"2026-06-03T10:{minute:02d}:00Z", sampled(1000 + minute))
        if kind == "Started":
            fields["evse"] = {"id": 1, "connectorId": 1}
        at = f"2026-06-03T10:{minute:02d}:00Z"
        await station.ok("TransactionEvent", tx_event(kind, "tx-again", seq_no, at, **fields))

    async with v2.booted_v2(station_id) as station:
        await event(station, "Started", 0, 0)
        await event(station, "Updated", 1, 1)
        await event(station, "Updated", 2, 2)  # from memory
        await event(station, "Updated", 2, 2)  # resent at once: a duplicate
    async with v2.booted_v2(station_id) as station:
        await event(station, "Updated", 2, 2)  # replayed on the new connection
        await event(station, "Updated", 3, 3)
        await event(station, "Updated", 1, 1)  # an older replay
        await event(station, "Updated", 4, 4)  # from memory again
    listed = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    tx = listed["items"][0]
    recorded = (await tenant.api.get(f"/transactions/{tx['id']}/events")).json()["items"]
    assert sorted(e["seq_no"] for e in recorded) == [0, 1, 2, 3, 4]
    values = (await tenant.api.get(f"/transactions/{tx['id']}/meter-values")).json()
    assert sorted(v["value"] for v in values["items"]) == [str(1000 + m) for m in range(5)]
    assert tx["last_meter_wh"] == 1004
