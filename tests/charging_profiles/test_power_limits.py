"""Profiles checked before sending (nothing sent when invalid), and power limits as profiles."""

import asyncio
from typing import Any

from chargeyard.charging_profiles.domain import Purpose, power_limit_id
from tests.commands.conftest import Online, command, start_transaction
from tests.conftest import Tenant


def profile(**fields: Any) -> dict[str, Any]:
    schedule = {"unit": "W", "periods": [{"start_offset_s": 0, "limit": 11000}]}
    return {
        "id": 3,
        "purpose": "TxDefaultProfile",
        "kind": "Absolute",
        "schedule": schedule,
    } | fields


async def logged(tenant: Tenant, station_id: str, action: str) -> int:
    await asyncio.sleep(0.2)  # the message log is written in batches
    params = {"station_id": station_id, "action": action}
    return int((await tenant.api.get("/message-log", params=params)).json()["total"])


async def test_invalid_profiles_are_422_and_never_sent(tenant: Tenant, online: Online) -> None:
    cases = [
        (profile(stack_level=-1), "stack_level must be 0 or more"),
        (profile(purpose="TxProfile"), "a TxProfile needs transaction_id"),
        (profile(purpose="TxProfile", transaction_id=999999999), "is not active on this station"),
        (profile(kind="Recurring"), "needs recurrency"),
        (
            profile(schedule={"unit": "W", "periods": [{"start_offset_s": 60, "limit": 0}]}),
            "the first period must start at 0",
        ),
    ]
    async with online() as (station_id, station):
        for body, problem in cases:
            response = await command(
                tenant, station_id, "set-charging-profile", {"evse_id": 1, "charging_profile": body}
            )
            assert response.status_code == 422, body
            assert problem in response.json()["detail"]
        bad_unit = profile(schedule={"unit": "kW", "periods": [{"start_offset_s": 0, "limit": 1}]})
        response = await command(
            tenant, station_id, "set-charging-profile", {"evse_id": 1, "charging_profile": bad_unit}
        )
        assert response.status_code == 422
        assert station.calls("SetChargingProfile") == []
        assert await logged(tenant, station_id, "SetChargingProfile") == 0
    assert (await tenant.api.get("/commands", params={"station_id": station_id})).json()[
        "total"
    ] == 0


async def test_tx_profile_for_a_running_transaction(tenant: Tenant, online: Online) -> None:
    await tenant.api.post("/id-tags", json={"value": "PROF", "status": "Accepted"})
    async with online() as (station_id, station):
        tx = await start_transaction(station, "PROF", connector=2)
        body = {"evse_id": 2, "charging_profile": profile(purpose="TxProfile", transaction_id=tx)}
        response = await command(tenant, station_id, "set-charging-profile", body)
        assert response.status_code == 200, response.text
        sent = station.calls("SetChargingProfile")[0]
        assert sent["connectorId"] == 2
        assert sent["csChargingProfiles"]["transactionId"] == tx


async def test_remote_start_with_a_profile(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        body = {"id_tag": "T", "evse_id": 1, "charging_profile": profile(purpose="TxProfile")}
        response = await command(tenant, station_id, "remote-start", body)
        assert response.status_code == 200, response.text
        sent = station.calls("RemoteStartTransaction")[0]
        assert sent["chargingProfile"]["chargingProfilePurpose"] == "TxProfile"
        body["charging_profile"] = profile(purpose="ChargePointMaxProfile")
        refused = await command(tenant, station_id, "remote-start", body)
        assert refused.status_code == 422
        assert len(station.calls("RemoteStartTransaction")) == 1


async def test_station_limit_in_kw(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        response = await tenant.api.post(f"/stations/{station_id}/power-limit", json={"limit": 11})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "Accepted"
        sent = station.calls("SetChargingProfile")[0]
        assert sent["connectorId"] == 0
        cs = sent["csChargingProfiles"]
        assert (cs["chargingProfilePurpose"], cs["chargingProfileKind"], cs["stackLevel"]) == (
            "ChargePointMaxProfile",
            "Absolute",
            0,
        )
        assert cs["chargingSchedule"]["chargingRateUnit"] == "W"
        assert cs["chargingSchedule"]["chargingSchedulePeriod"] == [
            {"startPeriod": 0, "limit": 11000}
        ]
        assert "startSchedule" in cs["chargingSchedule"]
        cleared = await tenant.api.delete(f"/stations/{station_id}/power-limit")
        assert cleared.json()["status"] == "Accepted"
        assert station.calls("ClearChargingProfile") == [{"id": cs["chargingProfileId"]}]


async def test_evse_limit_in_amps_with_stack_level(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        body = {"limit": 16, "unit": "A", "evse_id": 2, "stack_level": 4, "duration_s": 3600}
        response = await tenant.api.post(f"/stations/{station_id}/power-limit", json=body)
        assert response.status_code == 200, response.text
        sent = station.calls("SetChargingProfile")[0]
        cs = sent["csChargingProfiles"]
        assert sent["connectorId"] == 2
        assert (cs["chargingProfilePurpose"], cs["stackLevel"]) == ("TxDefaultProfile", 4)
        assert cs["chargingSchedule"]["chargingRateUnit"] == "A"
        assert cs["chargingSchedule"]["duration"] == 3600
        await tenant.api.delete(
            f"/stations/{station_id}/power-limit", params={"evse_id": 2, "stack_level": 4}
        )
        expected = power_limit_id(Purpose.TX_DEFAULT, 2, 4)
        assert cs["chargingProfileId"] == expected
        assert station.calls("ClearChargingProfile") == [{"id": expected}]


async def test_transaction_limit_with_a_delay(tenant: Tenant, online: Online) -> None:
    await tenant.api.post("/id-tags", json={"value": "LIM", "status": "Accepted"})
    async with online() as (station_id, station):
        tx = await start_transaction(station, "LIM")
        body = {"limit": 7.4, "transaction_id": str(tx), "start_delay_s": 900}
        response = await tenant.api.post(f"/stations/{station_id}/power-limit", json=body)
        assert response.status_code == 200, response.text
        sent = station.calls("SetChargingProfile")[0]
        cs = sent["csChargingProfiles"]
        assert sent["connectorId"] == 1
        assert (cs["chargingProfilePurpose"], cs["chargingProfileKind"], cs["transactionId"]) == (
            "TxProfile",
            "Relative",
            tx,
        )
        periods = cs["chargingSchedule"]["chargingSchedulePeriod"]
        assert [p["startPeriod"] for p in periods] == [0, 900]
        assert periods[1]["limit"] == 7400


async def test_invalid_power_limits_send_nothing(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        for body in (
            {"limit": 0},
            {"limit": 5, "start_delay_s": 60},
            {"limit": 5, "transaction_id": 999999999},
        ):
            response = await tenant.api.post(f"/stations/{station_id}/power-limit", json=body)
            assert response.status_code in (404, 422), body
        assert station.calls("SetChargingProfile") == []


async def test_limits_beyond_the_evses_recorded_capability_are_refused(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        wiring = {"supply": "ac_three_phase_ln", "voltage_v": 230, "max_power_kw": 11}
        answer = await tenant.api.put(f"/stations/{station_id}/wiring", json=wiring)
        assert answer.status_code == 200, answer.text
        too_much = profile(
            schedule={"unit": "W", "periods": [{"start_offset_s": 0, "limit": 22000}]}
        )
        refused = await command(
            tenant, station_id, "set-charging-profile", {"evse_id": 1, "charging_profile": too_much}
        )
        assert refused.status_code == 422
        assert "11000" in refused.json()["detail"]
        amps = profile(schedule={"unit": "A", "periods": [{"start_offset_s": 0, "limit": 32}]})
        refused_a = await command(
            tenant, station_id, "set-charging-profile", {"evse_id": 1, "charging_profile": amps}
        )
        assert refused_a.status_code == 422
        assert station.calls("SetChargingProfile") == []
        fits = await command(
            tenant,
            station_id,
            "set-charging-profile",
            {"evse_id": 1, "charging_profile": profile()},
        )
        assert fits.status_code == 200, fits.text
        assert len(station.calls("SetChargingProfile")) == 1
