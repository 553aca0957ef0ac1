"""The settlements page: payment settlements a station reported (OCPP 2.1 NotifySettlement) as
`/api/v1/settlements` lists them, newest first, filtered on the server; read by every role,
another organization's never shown."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user
from tests.protocol.v21.conftest import V21Stations, answer, items, start_transaction, v21
from tests.protocol.v21.test_payments import COMPANY, settlement

__all__ = ["v21"]


async def test_viewers_read_settlements_filtered_on_the_server(
    tenant: Tenant, other_tenant: Tenant, v21: V21Stations
) -> None:
    async with v21.booted() as (sid, station):
        await start_transaction(station, "TX-PAY")
        paid = settlement(
            transactionId="TX-PAY",
            receiptId="R-9",
            receiptUrl="javascript:alert(1)",
            vatNumber="NL123456789B01",
            vatCompany=COMPANY,
        )
        assert await answer(station, "NotifySettlement", paid) == {}
        cancelled = settlement(pspRef="psp-2", status="Canceled", settlementAmount=0)
        assert await answer(station, "NotifySettlement", cancelled) == {}
    [tx] = await items(tenant, "/transactions", station_id=sid)
    viewer = await make_user(tenant, "viewer")
    stranger = await make_user(other_tenant, "admin")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/settlements")
        of_session = await client.get("/settlements", params={"session": tx["id"]})
        cancelled_only = await client.get("/settlements", params={"status": "Canceled"})
        by_ref = await client.get("/settlements", params={"psp_ref": "psp-1"})
        by_station = await client.get("/settlements", params={"station": sid})
        bad_status = await client.get("/settlements", params={"status": "Maybe"})
        session_page = await client.get(f"/sessions/{tx['id']}")
    async with browser_client(other_tenant, stranger) as client:
        theirs = await client.get("/settlements")
    assert listing.status_code == 200 and "2 settlements" in listing.text
    assert "12.34" in listing.text and "Fleet BV" in listing.text and "receipt R-9" in listing.text
    assert "javascript:" not in listing.text
    assert f'href="/sessions/{tx["id"]}"' in listing.text
    assert "1 settlement," in of_session.text and "psp-1" in of_session.text
    assert "1 settlement," in cancelled_only.text and "psp-2" in cancelled_only.text
    assert "1 settlement," in by_ref.text and "2 settlements" in by_station.text
    assert bad_status.status_code == 422
    assert f'href="/settlements?session={tx["id"]}"' in session_page.text
    assert "0 settlements" in theirs.text
