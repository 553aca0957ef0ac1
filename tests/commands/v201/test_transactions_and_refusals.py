"""2.x commands that name Chargeyard's records (transactions, reservations, ID tags, power
limits), and the commands a protocol version cannot express (422, nothing sent)."""

import pytest

from tests.commands.conftest import Online, command
from tests.commands.test_stopping import accepted_tag
from tests.commands.v201.conftest import (
    PROTOCOLS,
    Online2x,
    start_transaction,
    transaction_id,
    without,
)
from tests.conftest import Tenant

TX_PROFILE = {
    "id": 30,
    "purpose": "TxProfile",
    "kind": "Relative",
    "schedule": {"unit": "W", "periods": [{"start_offset_s": 0, "limit": 7400}]},
}


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_remote_stop_sends_the_stations_transaction_id(
    tenant: Tenant, online_2x: Online2x, protocol: str
) -> None:
    tag = await accepted_tag(tenant)
    async with online_2x(protocol) as (station_id, station):
        await start_transaction(station, tag, ocpp_tx="f3a9-TX")
        tx = await transaction_id(tenant, station_id)
        response = await command(tenant, station_id, "remote-stop", {"transaction_id": tx})
        assert response.json()["status"] == "Accepted"
        assert station.calls("RequestStopTransaction") == [{"transactionId": "f3a9-TX"}]


async def test_tx_profile_display_message_and_power_limit_name_the_stations_transaction(
    tenant: Tenant, online_2x: Online2x
) -> None:
    tag = await accepted_tag(tenant)
    async with online_2x() as (station_id, station):
        await start_transaction(station, tag, ocpp_tx="TX-77", evse_id=2)
        tx = await transaction_id(tenant, station_id)
        profile = TX_PROFILE | {"transaction_id": tx}
        body = {"evse_id": 2, "charging_profile": profile}
        assert (await command(tenant, station_id, "set-charging-profile", body)).status_code == 200
        shown = await command(
            tenant,
            station_id,
            "set-display-message",
            {"id": 1, "message": "Hi", "transaction_id": tx},
        )
        assert shown.status_code == 200, shown.text
        limit = await tenant.api.post(
            f"/stations/{station_id}/power-limit",
            json={"limit": 16, "unit": "A", "transaction_id": tx},
        )
        assert limit.status_code == 200, limit.text
        [installed, limited] = station.calls("SetChargingProfile")
        [message] = station.calls("SetDisplayMessage")
    assert installed["evseId"] == 2
    assert installed["chargingProfile"]["transactionId"] == "TX-77"
    assert message["message"]["transactionId"] == "TX-77"
    assert limited["evseId"] == 2
    assert limited["chargingProfile"]["chargingProfilePurpose"] == "TxProfile"
    assert limited["chargingProfile"]["transactionId"] == "TX-77"
    assert limited["chargingProfile"]["chargingSchedule"][0]["chargingRateUnit"] == "A"
    assert limited["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"] == [
        {"startPeriod": 0, "limit": 16}
    ]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_power_limits_become_2x_profiles(
    tenant: Tenant, online_2x: Online2x, protocol: str
) -> None:
    async with online_2x(protocol) as (station_id, station):
        whole = await tenant.api.post(
            f"/stations/{station_id}/power-limit", json={"limit": 11, "unit": "kW"}
        )
        delayed = await tenant.api.post(
            f"/stations/{station_id}/power-limit",
            json={"limit": 7.4, "unit": "kW", "evse_id": 1, "start_delay_s": 600},
        )
        cleared = await tenant.api.delete(
            f"/stations/{station_id}/power-limit", params={"evse_id": 1}
        )
        assert (whole.status_code, delayed.status_code, cleared.status_code) == (200, 200, 200)
        [station_limit, evse_limit] = station.calls("SetChargingProfile")
        [clear] = station.calls("ClearChargingProfile")
    assert station_limit["evseId"] == 0
    profile = station_limit["chargingProfile"]
    assert (profile["chargingProfilePurpose"], profile["chargingProfileKind"]) == (
        "ChargingStationMaxProfile",
        "Absolute",
    )
    [schedule] = profile["chargingSchedule"]
    assert schedule["chargingRateUnit"] == "W" and "startSchedule" in schedule
    assert schedule["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 11000}]
    assert evse_limit["evseId"] == 1
    delayed_profile = evse_limit["chargingProfile"]
    assert (delayed_profile["chargingProfilePurpose"], delayed_profile["chargingProfileKind"]) == (
        "TxDefaultProfile",
        "Relative",
    )
    periods = delayed_profile["chargingSchedule"][0]["chargingSchedulePeriod"]
    assert [(p["startPeriod"], p["limit"]) for p in periods] == [(0, 10_000_000), (600, 7400)]
    assert clear == {"chargingProfileId": delayed_profile["id"]}


async def test_remote_start_with_a_profile_and_the_tags_token_type(
    tenant: Tenant, online_2x: Online2x
) -> None:
    created = await tenant.api.post(
        "/id-tags", json={"value": "EMAID-1", "status": "Accepted", "token_type": "eMAID"}
    )
    assert created.status_code == 201, created.text
    async with online_2x() as (station_id, station):
        body = {"id_tag": "EMAID-1", "evse_id": 1, "charging_profile": TX_PROFILE}
        response = await command(tenant, station_id, "remote-start", body)
        assert response.status_code == 200, response.text
        [sent] = station.calls("RequestStartTransaction")
    assert without(sent, "remoteStartId") == {
        "idToken": {"idToken": "EMAID-1", "type": "eMAID"},
        "evseId": 1,
        "chargingProfile": {
            "id": 30,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxProfile",
            "chargingProfileKind": "Relative",
            "chargingSchedule": [
                {
                    "id": 30,
                    "chargingRateUnit": "W",
                    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7400}],
                }
            ],
        },
    }


async def test_cancel_reservation_follows_the_answer(tenant: Tenant, online_2x: Online2x) -> None:
    async with online_2x("ocpp2.1") as (station_id, station):
        body = {"evse_id": 0, "id_tag": "R1", "expires_at": "2030-01-01T00:00:00Z"}
        reserved = await command(tenant, station_id, "reserve-now", body)
        assert reserved.json()["status"] == "Accepted"
        [reserve] = station.calls("ReserveNow")
        assert "evseId" not in reserve  # any EVSE
        cancelled = await command(
            tenant, station_id, "cancel-reservation", {"reservation_id": reserve["id"]}
        )
        assert cancelled.json()["status"] == "Accepted"
        assert station.calls("CancelReservation") == [{"reservationId": reserve["id"]}]
    reservation = (await tenant.api.get(f"/reservations/{reserve['id']}")).json()
    assert reservation["status"] == "Cancelled"


async def test_send_local_list_builds_the_list_from_the_organizations_tags(
    tenant: Tenant, online_2x: Online2x
) -> None:
    await tenant.api.post("/id-tags", json={"value": "CARD-1", "status": "Accepted"})
    await tenant.api.post(
        "/id-tags", json={"value": "CARD-2", "status": "Blocked", "token_type": "KeyCode"}
    )
    async with online_2x() as (station_id, station):
        response = await command(tenant, station_id, "send-local-list", {"version": 9})
        assert response.json()["status"] == "Accepted"
        [sent] = station.calls("SendLocalList")
    assert (sent["versionNumber"], sent["updateType"]) == (9, "Full")
    entries = {e["idToken"]["idToken"]: e for e in sent["localAuthorizationList"]}
    assert entries["CARD-1"] == {
        "idToken": {"idToken": "CARD-1", "type": "ISO14443"},
        "idTokenInfo": {"status": "Accepted"},
    }
    assert entries["CARD-2"]["idToken"]["type"] == "KeyCode"
    assert entries["CARD-2"]["idTokenInfo"]["status"] == "Blocked"


@pytest.mark.parametrize(
    ("name", "body", "hint"),
    [
        ("get-configuration", {"keys": ["HeartbeatInterval"]}, "use get-variables"),
        ("change-configuration", {"key": "HeartbeatInterval", "value": "60"}, "use set-variables"),
        (
            "trigger-message",
            {"message": "DiagnosticsStatusNotification"},
            "use LogStatusNotification",
        ),
    ],
)
async def test_1_6_only_commands_are_422_naming_the_2x_one(
    tenant: Tenant, online_2x: Online2x, name: str, body: dict[str, object], hint: str
) -> None:
    async with online_2x() as (station_id, station):
        response = await command(tenant, station_id, name, body)
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert "ocpp2.0.1" in detail and hint in detail
        assert station.received == []


@pytest.mark.parametrize(
    ("name", "body"),
    [
        (
            "get-variables",
            {"variables": [{"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval"}]},
        ),
        ("get-log", {"location": "https://logs.example/"}),
        ("set-display-message", {"id": 1, "message": "Hi"}),
        ("trigger-message", {"message": "TransactionEvent"}),
        ("reset", {"type": "immediate"}),
    ],
)
async def test_2x_only_commands_are_422_on_a_1_6_station(
    tenant: Tenant, online: Online, name: str, body: dict[str, object]
) -> None:
    async with online() as (station_id, station):
        response = await command(tenant, station_id, name, body)
        assert response.status_code == 422, response.text
        assert station.received == []


async def test_invalid_2x_bodies_are_422(tenant: Tenant, online_2x: Online2x) -> None:
    async with online_2x() as (station_id, station):
        nobody = await command(tenant, station_id, "customer-information", {"report": True})
        severity = await command(tenant, station_id, "set-monitoring-level", {"severity": 10})
        orphan = await command(
            tenant, station_id, "change-availability", {"operative": True, "connector_id": 1}
        )
        assert (nobody.status_code, severity.status_code, orphan.status_code) == (422, 422, 422)
        assert station.received == []


async def test_a_remote_start_without_a_token_in_its_event_takes_the_requests_tag(
    tenant: Tenant, online_2x: Online2x
) -> None:
    """The TransactionEvent of a remote start may omit the idToken: `remoteStartId` names the
    RequestStartTransaction that carried it."""
    tag = await accepted_tag(tenant)
    async with online_2x() as (station_id, station):
        response = await command(tenant, station_id, "remote-start", {"id_tag": tag, "evse_id": 1})
        assert response.status_code == 200, response.text
        [sent] = station.calls("RequestStartTransaction")
        await station.ok(
            "TransactionEvent",
            {
                "eventType": "Started",
                "timestamp": "2026-01-01T10:00:00Z",
                "triggerReason": "RemoteStart",
                "seqNo": 0,
                "transactionInfo": {
                    "transactionId": "TX-REMOTE",
                    "remoteStartId": sent["remoteStartId"],
                },
                "evse": {"id": 1, "connectorId": 1},
            },
        )
    listed = await tenant.api.get("/transactions", params={"station_id": station_id})
    [tx] = listed.json()["items"]
    assert tx["id_tag"] == tag
