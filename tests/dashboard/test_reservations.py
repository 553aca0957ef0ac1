"""Reservations on a station's page: an operator reserves an EVSE for an ID tag and cancels it
through the command runner (`reserve-now`, `cancel-reservation`, the REST API's body models);
the page lists the active ones, and a viewer reads them without the forms."""

from tests.commands.conftest import register
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def test_an_operator_reserves_and_cancels_from_the_station_page(tenant: Tenant) -> None:
    station_id = await register(tenant)
    tag = tenant.unique("RES")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    path = f"/stations/{station_id}/commands"
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/stations/{station_id}")
        csrf = hidden(page.text, "csrf_token")
        form = {"csrf_token": csrf, "id_tag": tag, "evse_id": "1"}
        async with scripted_station(tenant.server.ocpp_url, station_id) as station:
            reserved = await client.post(
                f"{path}/reserve-now", data=form | {"expires_at": "2099-01-01T12:00:00+01:00"}
            )
            no_expiry = await client.post(f"{path}/reserve-now", data=form)
            listed = await client.get(f"/stations/{station_id}")
            [reservation] = (
                await tenant.api.get("/reservations", params={"station_id": station_id})
            ).json()["items"]
            cancelled = await client.post(
                f"{path}/cancel-reservation",
                data={"csrf_token": csrf, "reservation_id": str(reservation["id"])},
                headers={"X-Dashboard-Fragment": "1"},
            )
            after = await client.get(f"/stations/{station_id}")
        assert [c["idTag"] for c in station.calls("ReserveNow")] == [tag]
        assert station.calls("CancelReservation") == [{"reservationId": reservation["id"]}]
    async with browser_client(tenant, viewer) as client:
        viewer_page = await client.get(f"/stations/{station_id}")
    assert reserved.status_code == 200 and "Accepted" in reserved.text
    assert no_expiry.status_code == 422 and "expires_at" in no_expiry.text
    assert reservation["expires_at"].startswith("2099-01-01T11:00:00")
    rows = listed.text.split('id="station-reservations"')[1].split("</table>")[0]
    assert tag in rows and "Cancel reservation" in rows
    assert cancelled.status_code == 200 and "Accepted" in cancelled.text
    assert "No active reservation." in after.text
    assert (
        'id="reserve"' not in viewer_page.text and 'id="station-reservations"' in viewer_page.text
    )
