"""Reserve now / cancel reservation, and a reservation's life: answers, reports, use, expiry."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.commands.conftest import Online, command, register
from tests.conftest import Tenant


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def reservation(tenant: Tenant, reservation_id: int) -> dict[str, Any]:
    response = await tenant.api.get(f"/reservations/{reservation_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def reserve(tenant: Tenant, station_id: str, **body: Any) -> tuple[Any, dict[str, Any]]:
    body = {"evse_id": 1, "id_tag": "TAG1", "expires_at": later(3600)} | body
    response = await command(tenant, station_id, "reserve-now", body)
    listing = (await tenant.api.get("/reservations", params={"station_id": station_id})).json()
    return response, listing["items"][0]


async def test_accepted_reservation_is_used_by_its_transaction(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        response, made = await reserve(tenant, station_id)
        assert response.json()["status"] == "Accepted"
        assert made["status"] == "Accepted"
        sent = station.calls("ReserveNow")[0]
        assert sent["reservationId"] == made["id"]
        assert (sent["connectorId"], sent["idTag"]) == (1, "TAG1")
        await station.ok(
            "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Reserved"}
        )
        start = await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "TAG1",
                "meterStart": 0,
                "timestamp": "2026-01-01T10:00:00Z",
                "reservationId": made["id"],
            },
        )
        used = await reservation(tenant, made["id"])
        assert (used["status"], used["transaction_id"]) == ("Used", start["transactionId"])
        assert used["ended_at"] is not None


async def test_refused_reservation_takes_the_station_status(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        station.answers["ReserveNow"] = {"status": "Occupied"}
        response, made = await reserve(tenant, station_id)
        assert response.json()["status"] == "Occupied"
        assert made["status"] == "Occupied"
        active = (
            await tenant.api.get(
                "/reservations", params={"active": "true", "station_id": station_id}
            )
        ).json()
        assert active["total"] == 0


async def test_offline_reservation_fails(tenant: Tenant) -> None:
    station_id = await register(tenant)
    response, made = await reserve(tenant, station_id)
    assert response.status_code == 409
    assert made["status"] == "Failed"


async def test_cancel_reservation(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        _, made = await reserve(tenant, station_id)
        station.answers["CancelReservation"] = {"status": "Rejected"}
        refused = await command(
            tenant, station_id, "cancel-reservation", {"reservation_id": made["id"]}
        )
        assert refused.json()["status"] == "Rejected"
        assert (await reservation(tenant, made["id"]))["status"] == "Accepted"
        station.answers["CancelReservation"] = {"status": "Accepted"}
        done = await command(
            tenant, station_id, "cancel-reservation", {"reservation_id": made["id"]}
        )
        assert done.json()["status"] == "Accepted"
        assert station.calls("CancelReservation")[-1] == {"reservationId": made["id"]}
        assert (await reservation(tenant, made["id"]))["status"] == "Cancelled"


async def test_reservation_expires_by_itself(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, _station):
        # 5 s ahead: long enough for the reservation to be made on a loaded machine first.
        _, made = await reserve(tenant, station_id, expires_at=later(5))
        assert made["status"] == "Accepted"
        deadline = asyncio.get_running_loop().time() + 60
        while (await reservation(tenant, made["id"]))["status"] != "Expired":
            assert asyncio.get_running_loop().time() < deadline, "never expired"
            await asyncio.sleep(0.1)


async def test_station_dropping_the_reservation_cancels_it(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        _, made = await reserve(tenant, station_id)
        await station.ok(
            "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
        )
        assert (await reservation(tenant, made["id"]))["status"] == "Cancelled"


async def test_reservation_in_the_past_is_refused(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        response = await command(
            tenant,
            station_id,
            "reserve-now",
            {"evse_id": 1, "id_tag": "T", "expires_at": later(-60)},
        )
        assert response.status_code == 422
        assert station.calls("ReserveNow") == []


async def test_other_tenants_reservations_are_invisible(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, _station):
        _, made = await reserve(tenant, station_id)
    assert (await other_tenant.api.get(f"/reservations/{made['id']}")).status_code == 404
    assert (await other_tenant.api.get("/reservations")).json()["total"] == 0
