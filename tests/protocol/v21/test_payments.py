"""NotifySettlement stored and linked to its transaction; VatNumberValidation refused with a
reason without a validation service, and answered from the service when there is one."""

import pytest

from chargeyard.protocol.v21.payments import PaymentHandlers
from chargeyard.settlements.domain import Company, VatCheck, VatVerdict
from chargeyard.settlements.vat import VatValidator
from tests.conftest import Tenant
from tests.protocol.conftest import events_of
from tests.protocol.v21.conftest import NOW, V21Stations, answer, items, start_transaction

COMPANY = {"name": "Fleet BV", "address1": "Kade 1", "city": "Utrecht", "country": "NL"}


def settlement(**fields: object) -> dict[str, object]:
    return {
        "pspRef": "psp-1",
        "status": "Settled",
        "settlementAmount": 12.34,
        "settlementTime": NOW,
    } | fields


async def test_settlements_are_stored_and_linked_to_their_transaction(
    tenant: Tenant, other_tenant: Tenant, v21: V21Stations
) -> None:
    async with v21.booted() as (sid, station):
        await start_transaction(station, "TX-PAY")
        paid = settlement(
            transactionId="TX-PAY",
            receiptId="R-9",
            vatNumber="NL123456789B01",
            vatCompany=COMPANY | {"postalCode": "3511 AB"},
        )
        assert await answer(station, "NotifySettlement", paid) == {}
        cancelled = settlement(pspRef="psp-2", status="Canceled", settlementAmount=0)
        assert await answer(station, "NotifySettlement", cancelled) == {}
    tx = (await items(tenant, "/transactions", station_id=sid))[0]
    linked = await items(tenant, "/settlements", transaction_id=tx["id"])
    assert [(s["psp_ref"], s["status"], s["ocpp_transaction_id"]) for s in linked] == [
        ("psp-1", "Settled", "TX-PAY")
    ]
    assert float(linked[0]["amount"]) == 12.34
    assert linked[0]["vat_company"]["postal_code"] == "3511 AB"
    assert linked[0]["receipt_id"] == "R-9"
    every = await items(tenant, "/settlements", station_id=sid)
    assert {s["psp_ref"]: s["transaction_id"] for s in every} == {"psp-1": tx["id"], "psp-2": None}
    one = await tenant.api.get(f"/settlements/{linked[0]['id']}")
    assert one.status_code == 200 and one.json()["psp_ref"] == "psp-1"
    assert (await other_tenant.api.get(f"/settlements/{linked[0]['id']}")).status_code == 404
    assert await items(other_tenant, "/settlements", station_id=sid) == []
    events = await events_of(tenant.server, sid, "settlement.received")
    assert [(e["psp_ref"], e["transaction_id"], e["amount"]) for e in events] == [
        ("psp-1", tx["id"], "12.34"),
        ("psp-2", None, "0"),
    ]


async def test_vat_number_is_refused_without_a_validation_service(
    tenant: Tenant, v21: V21Stations
) -> None:
    async with v21.booted() as (sid, station):
        result = await answer(
            station, "VatNumberValidation", {"vatNumber": "NL123456789B01", "evseId": 1}
        )
    assert result["status"] == "Rejected"
    assert result["vatNumber"] == "NL123456789B01" and result["evseId"] == 1
    assert result["statusInfo"]["reasonCode"] == "NoVatValidation"
    assert "company" not in result
    stored = await items(tenant, f"/stations/{sid}/reports", kind="vat_number_validation")
    assert [(r["status"], r["evse_id"], r["data"]["vat_number"]) for r in stored] == [
        ("Rejected", 1, "NL123456789B01")
    ]
    events = await events_of(tenant.server, sid, "station.vat_number_validation")
    assert [e["status"] for e in events] == ["Rejected"]


class Registry(VatValidator):
    async def validate(self, check: VatCheck) -> VatVerdict:
        if check.vat_number.startswith("NL"):
            return VatVerdict(True, Company("Fleet BV", "Kade 1", "Utrecht", "NL"))
        return VatVerdict(False, reason_code="UnknownVatNumber", reason="not registered")


async def test_vat_number_is_answered_by_a_validation_service(
    tenant: Tenant, v21: V21Stations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PaymentHandlers, "vat_validator", Registry())
    async with v21.booted() as (_, station):
        known = await answer(station, "VatNumberValidation", {"vatNumber": "NL1"})
        unknown = await answer(station, "VatNumberValidation", {"vatNumber": "XX1"})
    assert known["status"] == "Accepted" and known["company"] == COMPANY
    assert unknown["status"] == "Rejected"
    assert unknown["statusInfo"] == {
        "reasonCode": "UnknownVatNumber",
        "additionalInfo": "not registered",
    }
