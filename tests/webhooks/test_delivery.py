"""Deliveries to a real receiver on loopback: signatures, retries, order, disabling, replay, ping."""

import asyncio
from typing import Any

from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD
from tests.webhooks.conftest import FAST_SCHEDULE, Verify, subscribe
from tests.webhooks.receiver import Received, Receiver


async def add_tag(tenant: Tenant, value: str) -> None:
    answer = await tenant.api.post("/id-tags", json={"value": value})
    assert answer.status_code == 201, answer.text


async def events_of(tenant: Tenant, **params: Any) -> list[dict[str, Any]]:
    answer = await tenant.api.get("/events", params={"order": "asc", **params})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


async def log_of(tenant: Tenant, webhook_id: str, count: int) -> list[dict[str, Any]]:
    """The delivery log, oldest first, once it holds `count` attempts (it is written after them)."""
    for _ in range(1500):
        answer = await tenant.api.get(f"/webhooks/{webhook_id}/deliveries")
        assert answer.status_code == 200, answer.text
        if answer.json()["total"] >= count:
            return list(reversed(answer.json()["items"]))
        await asyncio.sleep(0.02)
    raise AssertionError(f"the log never reached {count} attempts: {answer.json()}")


async def test_delivery_carries_standard_webhooks_headers_and_verifies(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url, ["id_tag.*"])
    assert sub["secret"].startswith("whsec_")
    await add_tag(hooks, "SIGNED-1")
    await receiver.wait_for(lambda: len(receiver.delivered()) == 1)
    (event,) = await events_of(hooks, type="id_tag.created")
    item = receiver.delivered()[0]
    assert item.headers["webhook-id"] == event["id"]
    assert item.headers["content-type"] == "application/json"
    assert verify(sub["secret"], item.headers, item.body)
    assert not verify(sub["secret"], item.headers, item.body + b" ")
    other = (await subscribe(hooks, receiver.url))["secret"]
    assert not verify(other, item.headers, item.body)
    body = item.json
    assert body["id"] == event["id"] and body["type"] == "id_tag.created"
    assert body["organization_id"] == hooks.organization_id
    assert body["data"]["id_tag"] == "SIGNED-1"
    assert body["occurred_at"].endswith("Z")


async def test_server_errors_are_retried_with_the_same_id(
    hooks: Tenant, receiver: Receiver
) -> None:
    answers = iter([500, 503])

    async def flaky(_item: Received) -> int:
        return next(answers, 204)

    receiver.behaviour = flaky
    sub = await subscribe(hooks, receiver.url)
    await add_tag(hooks, "RETRY-1")
    await receiver.wait_for(lambda: len(receiver.delivered()) == 1)
    assert [r.status for r in receiver.received] == [500, 503, 204]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    log = await log_of(hooks, sub["id"], 3)
    assert [(a["attempt"], a["response_status"], a["success"]) for a in log] == [
        (1, 500, False),
        (2, 503, False),
        (3, 204, True),
    ]
    assert all(a["latency_ms"] > 0 and a["request_url"] == receiver.url for a in log)
    assert log[0]["request_headers"]["webhook-id"] == receiver.received[0].headers["webhook-id"]


async def test_timeouts_are_retried(hooks: Tenant, receiver: Receiver) -> None:
    async def slow_first(item: Received) -> int:
        if len(receiver.received) == 1:
            await asyncio.sleep(1.0)  # the fast server gives up after 0.5 s
        return 200

    receiver.behaviour = slow_first
    sub = await subscribe(hooks, receiver.url)
    await add_tag(hooks, "SLOW-1")
    await receiver.wait_for(lambda: len(receiver.delivered()) == 2)
    log = await log_of(hooks, sub["id"], 2)
    assert log[0]["success"] is False and log[0]["response_status"] is None
    assert "timeout" in log[0]["error"]
    assert log[1]["success"] is True and log[1]["attempt"] == 2


async def test_a_failing_station_holds_back_only_its_own_events(
    hooks: Tenant, receiver: Receiver
) -> None:
    blocked, free = hooks.unique("CPA"), hooks.unique("CPB")
    holding = True

    async def block_one_station(item: Received) -> int:
        return 500 if holding and item.json["station_id"] == blocked else 200

    receiver.behaviour = block_one_station
    await subscribe(hooks, receiver.url, ["station.*"])
    for station in (blocked, free):
        answer = await hooks.api.post("/stations", json={"id": station, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
    for n in range(3):
        for station in (blocked, free):
            answer = await hooks.api.patch(f"/stations/{station}", json={"name": f"n{n}"})
            assert answer.status_code == 200, answer.text

    def arrived(station: str) -> list[str]:
        return [
            r.headers["webhook-id"] for r in receiver.accepted() if r.json["station_id"] == station
        ]

    await receiver.wait_for(lambda: len(arrived(free)) == 4)
    assert arrived(blocked) == []
    attempted = {
        r.headers["webhook-id"] for r in receiver.received if r.json["station_id"] == blocked
    }
    first_blocked = (await events_of(hooks, station_id=blocked))[0]["id"]
    assert attempted == {first_blocked}  # later events of that station were never tried
    holding = False
    await receiver.wait_for(lambda: len(arrived(blocked)) == 4)
    for station in (blocked, free):
        assert arrived(station) == [e["id"] for e in await events_of(hooks, station_id=station)]


async def test_a_subscription_that_keeps_failing_is_disabled(
    hooks: Tenant, receiver: Receiver
) -> None:
    async def broken(_item: Received) -> int:
        return 500

    receiver.behaviour = broken
    sub = await subscribe(hooks, receiver.url, ["id_tag.*"])
    await add_tag(hooks, "DOOMED-1")

    async def disabled() -> dict[str, Any]:
        for _ in range(1500):
            found = dict((await hooks.api.get(f"/webhooks/{sub['id']}")).json())
            if not found["enabled"]:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError("the subscription was never disabled")

    found = await disabled()
    assert "HTTP 500" in found["disabled_reason"]
    assert len(receiver.received) == len(FAST_SCHEDULE) + 1
    (notice,) = await events_of(hooks, type="webhook.disabled")
    assert notice["data"]["webhook_id"] == sub["id"]
    assert notice["data"]["url"] == receiver.url
    await add_tag(hooks, "DOOMED-2")
    await asyncio.sleep(0.3)
    assert len(receiver.received) == len(FAST_SCHEDULE) + 1  # disabled: nothing more is sent


async def test_redelivery_of_one_event_and_of_a_time_range(
    hooks: Tenant, receiver: Receiver
) -> None:
    sub = await subscribe(hooks, receiver.url, ["id_tag.created"])
    await add_tag(hooks, "AGAIN-1")
    await add_tag(hooks, "AGAIN-2")
    await receiver.wait_for(lambda: len(receiver.delivered()) == 2)
    first, second = await events_of(hooks, type="id_tag.created")
    await log_of(hooks, sub["id"], 2)  # settled, so neither is still owed
    one = await hooks.api.post(f"/webhooks/{sub['id']}/redeliver", json={"event_id": first["id"]})
    assert one.status_code == 202 and one.json() == {"queued": 1}
    await receiver.wait_for(lambda: len(receiver.delivered()) == 3)
    assert receiver.delivered()[2].headers["webhook-id"] == first["id"]
    await log_of(hooks, sub["id"], 3)
    span = await hooks.api.post(
        f"/webhooks/{sub['id']}/redeliver", json={"since": first["occurred_at"]}
    )
    assert span.json() == {"queued": 2}
    await receiver.wait_for(lambda: len(receiver.delivered()) == 5)
    assert [r.headers["webhook-id"] for r in receiver.delivered()[3:]] == [
        first["id"],
        second["id"],
    ]
    missing = await hooks.api.post(f"/webhooks/{sub['id']}/redeliver", json={"event_id": "nope"})
    assert missing.status_code == 404
    empty = await hooks.api.post(f"/webhooks/{sub['id']}/redeliver", json={})
    assert empty.status_code == 422


async def test_ping_is_sent_at_once_and_logged(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url, ["session.*"])
    answer = await hooks.api.post(f"/webhooks/{sub['id']}/ping")
    assert answer.status_code == 200, answer.text
    attempt = answer.json()
    assert attempt["success"] is True and attempt["response_status"] == 200
    assert attempt["event_type"] == "webhook.ping"
    (item,) = receiver.received
    assert item.json["type"] == "webhook.ping" and item.json["data"] == {"webhook_id": sub["id"]}
    assert item.headers["webhook-id"] == attempt["event_id"]
    assert verify(sub["secret"], item.headers, item.body)
    assert [a["event_type"] for a in await log_of(hooks, sub["id"], 1)] == ["webhook.ping"]


async def test_rotated_secret_signs_beside_the_old_one(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url, ["id_tag.*"])
    rotated = await hooks.api.post(f"/webhooks/{sub['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_") and new_secret != sub["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    await add_tag(hooks, "ROTATE-1")
    await receiver.wait_for(lambda: len(receiver.delivered()) == 1)
    item = receiver.delivered()[0]
    assert len(item.headers["webhook-signature"].split(" ")) == 2
    assert verify(new_secret, item.headers, item.body)
    assert verify(sub["secret"], item.headers, item.body)
