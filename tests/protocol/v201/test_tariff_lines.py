"""The driver sees their tariff (OCPP 2.0.1 I01): the personal message of the IdTokenInfo that
answers an Authorize and a TransactionEvent carrying the token, over a real 2.x socket."""

from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant
from tests.protocol.test_v16_authorize import add_tag
from tests.protocol.v201.conftest import V2Stations, meter, sampled, tx_event
from tests.support.billing import create_tariff, priced_station, stamp

# tests/support/billing.py's tariff: 0.30/kWh and 1.00 per session, 20 % tax, shown gross.
LINE = "0.36 EUR/kWh, 1.20 EUR per session (incl. 20% tax)"


def _token(tag: str) -> dict[str, str]:
    return {"idToken": tag, "type": "ISO14443"}


async def test_authorize_shows_the_tariff_of_the_station(
    tenant: Tenant, v2: V2Stations, subprotocol: str
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, v2, tariff_id)
    tag = await add_tag(tenant)
    async with v2.booted_v2(station_id, subprotocol) as station:
        known = await station.ok("Authorize", {"idToken": _token(tag)})
        unknown = await station.ok("Authorize", {"idToken": _token(tag + "x")})
    assert known["idTokenInfo"] == {
        "status": "Accepted",
        "personalMessage": {"format": "UTF8", "language": "en", "content": LINE},
    }
    assert unknown["idTokenInfo"] == {"status": "Invalid"}  # a refused token is shown no price


async def test_a_station_without_a_tariff_shows_none(tenant: Tenant, v2: V2Stations) -> None:
    tag = await add_tag(tenant)
    async with v2.booted_v2() as station:
        answer = await station.ok("Authorize", {"idToken": _token(tag)})
    assert answer["idTokenInfo"] == {"status": "Accepted"}


async def test_a_tariff_group_member_is_shown_the_group_tariff(
    tenant: Tenant, v2: V2Stations
) -> None:
    public = await create_tariff(tenant)
    staff = await create_tariff(
        tenant,
        name="Staff",
        tax_rate=None,
        elements=[{"price_components": [{"type": "ENERGY", "price": "0.10", "step_size": 1}]}],
    )
    station_id = await priced_station(tenant, v2, public)
    member, other = await add_tag(tenant), await add_tag(tenant)
    group = await tenant.api.post(
        "/tariff-groups",
        json={
            "name": "Staff",
            "tariff_id": staff,
            "id_tags": [member],
            "places": [{"kind": "organization"}],
        },
    )
    assert group.status_code == 201, group.text
    async with v2.booted_v2(station_id) as station:
        shown = await station.ok("Authorize", {"idToken": _token(member)})
        public_line = await station.ok("Authorize", {"idToken": _token(other)})
    assert shown["idTokenInfo"]["personalMessage"]["content"] == "0.10 EUR/kWh"
    assert public_line["idTokenInfo"]["personalMessage"]["content"] == LINE


async def test_a_started_event_with_the_token_shows_the_session_tariff(
    tenant: Tenant, v2: V2Stations
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, v2, tariff_id)
    tag = await add_tag(tenant)
    now = stamp(datetime.now(UTC).replace(microsecond=0))
    async with v2.booted_v2(station_id) as station:
        started = await station.ok(
            "TransactionEvent",
            tx_event(
                "Started",
                "TX-LINE",
                0,
                now,
                idToken=_token(tag),
                evse={"id": 1, "connectorId": 1},
                meterValue=meter(now, sampled(0, "Transaction.Begin")),
            ),
        )
    message = {"format": "UTF8", "language": "en", "content": LINE}
    assert started["idTokenInfo"] == {"status": "Accepted", "personalMessage": message}
    assert started["updatedPersonalMessage"] == message


async def test_a_session_started_without_a_token_is_shown_its_tariff_then_its_cost(
    tenant: Tenant, v2: V2Stations
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, v2, tariff_id)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    at = [stamp(start + timedelta(minutes=m)) for m in (0, 10, 20)]
    async with v2.booted_v2(station_id) as station:
        started = await station.ok(
            "TransactionEvent",
            tx_event(
                "Started",
                "TX-FREEVEND",
                0,
                at[0],
                trigger="CablePluggedIn",
                evse={"id": 1, "connectorId": 1},
                meterValue=meter(at[0], sampled(0, "Transaction.Begin")),
            ),
        )
        updated = await station.ok(
            "TransactionEvent",
            tx_event(
                "Updated",
                "TX-FREEVEND",
                1,
                at[1],
                trigger="MeterValuePeriodic",
                meterValue=meter(at[1], sampled(5000)),
            ),
        )
        ended = await station.ok(
            "TransactionEvent",
            tx_event(
                "Ended",
                "TX-FREEVEND",
                2,
                at[2],
                trigger="EVDeparted",
                meterValue=meter(at[2], sampled(10000, "Transaction.End")),
                info={"stoppedReason": "EVDisconnected"},
            ),
        )
    # The tariff the session was fixed to, once, at its start; then only costs.
    assert started == {
        "updatedPersonalMessage": {"format": "UTF8", "language": "en", "content": LINE}
    }
    assert updated == {"totalCost": 3.0}  # 1.00 + 5 kWh at 0.30, 20 % tax
    assert ended == {"totalCost": 4.8}
