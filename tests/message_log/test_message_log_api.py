"""/api/v1/message-log: a station's frames, filtered, newest first, scoped to the organization."""

import json
from datetime import datetime, timedelta

from chargeyard.message_log.masking import MASK, mask_secrets
from tests.api.factories import BOOT, charged_station, created, logged
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, raw_station


async def test_frames_are_listed_newest_first_with_filters(tenant: Tenant) -> None:
    station_id = tenant.unique("CP")
    await created(tenant.api, "/stations", {"id": station_id, "password": PASSWORD})
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.call("BootNotification", BOOT, unique_id="boot-1")
        await station.call("Heartbeat", {}, unique_id="beat-1")
        await station.call("Heartbeat", {}, unique_id="beat-2")
    everything = await logged(tenant.api, {"station_id": station_id}, at_least=6)
    assert everything["total"] == 6
    frames = everything["items"]
    assert [f["unique_id"] for f in frames] == [
        "beat-2",
        "beat-2",
        "beat-1",
        "beat-1",
        "boot-1",
        "boot-1",
    ]
    assert [f["direction"] for f in frames[:2]] == ["out", "in"]
    stamps = [datetime.fromisoformat(f["logged_at"]) for f in frames]
    assert stamps == sorted(stamps, reverse=True)
    assert json.loads(frames[-1]["frame"]) == [2, "boot-1", "BootNotification", BOOT]

    incoming = (
        await tenant.api.get("/message-log", params={"station_id": station_id, "direction": "in"})
    ).json()
    assert incoming["total"] == 3 and {f["direction"] for f in incoming["items"]} == {"in"}
    beats = (
        await tenant.api.get(
            "/message-log", params={"station_id": station_id, "action": "Heartbeat"}
        )
    ).json()
    assert {f["unique_id"] for f in beats["items"]} == {"beat-1", "beat-2"}
    one = (
        await tenant.api.get(
            "/message-log", params={"unique_id": "boot-1", "station_id": station_id}
        )
    ).json()
    assert one["total"] == 2 and {f["message_type"] for f in one["items"]} == {2, 3}

    page = (
        await tenant.api.get(
            "/message-log", params={"station_id": station_id, "offset": 2, "limit": 3}
        )
    ).json()
    assert page["total"] == 6 and page["offset"] == 2 and page["limit"] == 3
    assert [f["id"] for f in page["items"]] == [f["id"] for f in frames[2:5]]


async def test_time_window(tenant: Tenant) -> None:
    station_id, _ = await charged_station(tenant)
    frames = (await logged(tenant.api, {"station_id": station_id}, at_least=6))["items"]
    newest = datetime.fromisoformat(frames[0]["logged_at"])
    params = {"station_id": station_id}
    after = (
        await tenant.api.get(
            "/message-log", params={**params, "since": (newest + timedelta(seconds=1)).isoformat()}
        )
    ).json()
    assert after["total"] == 0
    stamps = [datetime.fromisoformat(f["logged_at"]) for f in frames]
    before = (
        await tenant.api.get("/message-log", params={**params, "until": newest.isoformat()})
    ).json()
    assert before["total"] == sum(1 for at in stamps if at < newest)
    window = (
        await tenant.api.get("/message-log", params={**params, "since": newest.isoformat()})
    ).json()
    assert window["total"] == sum(1 for at in stamps if at >= newest) >= 1


async def test_a_bad_direction_is_refused(tenant: Tenant) -> None:
    answer = await tenant.api.get("/message-log", params={"direction": "sideways"})
    assert answer.status_code == 422
    assert "direction" in answer.json()["detail"]


def test_station_passwords_are_masked_in_frames() -> None:
    change = json.dumps(
        [
            2,
            "1",
            "ChangeConfiguration",
            {"key": "AuthorizationKey", "value": "s3cret-s3cret-s3cret"},
        ]
    )
    assert json.loads(mask_secrets(change))[3] == {"key": "AuthorizationKey", "value": MASK}
    set_vars = json.dumps(
        [
            2,
            "2",
            "SetVariables",
            {
                "setVariableData": [
                    {
                        "component": {"name": "SecurityCtrlr"},
                        "variable": {"name": "BasicAuthPassword"},
                        "attributeValue": "s3cret-s3cret-s3cret",
                    },
                    {
                        "component": {"name": "OCPPCommCtrlr"},
                        "variable": {"name": "HeartbeatInterval"},
                        "attributeValue": "60",
                    },
                ]
            },
        ]
    )
    masked = json.loads(mask_secrets(set_vars))[3]["setVariableData"]
    assert [item["attributeValue"] for item in masked] == [MASK, "60"]
    other = json.dumps([2, "3", "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "60"}])
    assert mask_secrets(other) == other
    assert mask_secrets("not json") == "not json"
