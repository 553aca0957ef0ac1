"""Utilisation's two shares over real REST: occupied (a vehicle at the connector) and charging
(energy flowing), from what a real 1.6 and a real 2.0.1 station on loopback reported."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.commands.conftest import Online
from tests.commands.v201.conftest import Online2x
from tests.conftest import Tenant
from tests.kpis.test_kpis import STEP, kpi, until_past, wire


async def status_16(station: Any, status: str, at: datetime) -> None:
    body = {"connectorId": 1, "status": status, "errorCode": "NoError", "timestamp": wire(at)}
    await station.ok("StatusNotification", body)


async def test_a_16_connector_charges_only_while_it_reports_charging(
    tenant: Tenant, online: Online
) -> None:
    """Preparing and SuspendedEV occupy the connector; only Charging delivers energy."""
    async with online() as (station_id, station):
        a = datetime.now(UTC)
        b, c, d = a + STEP, a + 2 * STEP, a + 3 * STEP
        for at, status in ((a, "Preparing"), (b, "Charging"), (c, "SuspendedEV")):
            await status_16(station, status, at)
        await status_16(station, "Available", d)
        await until_past(d + STEP)
        used = await kpi(tenant, "utilisation", a, d + STEP, station_id=station_id)
        up = await kpi(tenant, "uptime", a, d + STEP, station_id=station_id)
        period = {"station_id": station_id, "start": wire(a), "end": wire(d + STEP)}
        report = await tenant.api.get("/reports/uptime.csv", params=period)

    assert used["fraction"] == used["occupied_fraction"] == pytest.approx(0.75)
    assert used["charging_fraction"] == pytest.approx(0.25)
    assert (used["occupied_s"], used["charging_s"]) == pytest.approx((0.6, 0.2))
    assert up["occupied_s"] == used["occupied_s"]
    assert up["charging_s"] is None and up["charging_fraction"] is None  # utilisation's
    # The uptime report carries both shares, measured the same way.
    [row] = csv.DictReader(io.StringIO(report.text))
    assert float(row["occupied"]) == pytest.approx(0.75)
    assert float(row["charging"]) == pytest.approx(0.25)
    assert float(row["charging_s"]) == pytest.approx(0.2)


async def test_a_201_connector_charges_while_its_session_says_charging(
    tenant: Tenant, online_2x: Online2x
) -> None:
    """A 2.0.1 connector reports Occupied throughout: the transaction's chargingState says when
    energy flowed, and the session's end ends it."""
    async with online_2x() as (station_id, station):
        a = datetime.now(UTC)
        b, c, d = a + STEP, a + 2 * STEP, a + 3 * STEP
        await station.ok(
            "StatusNotification",
            {"timestamp": wire(a), "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
        )
        for seq, (event, at, state) in enumerate(
            (
                ("Started", a, "EVConnected"),
                ("Updated", b, "Charging"),
                ("Updated", c, "SuspendedEV"),
                ("Updated", c + STEP / 2, "Charging"),
                ("Ended", d, "Charging"),
            )
        ):
            await station.ok(
                "TransactionEvent",
                {
                    "eventType": event,
                    "timestamp": wire(at),
                    "triggerReason": "ChargingStateChanged",
                    "seqNo": seq,
                    "transactionInfo": {"transactionId": "TX-UTIL", "chargingState": state},
                    "evse": {"id": 1, "connectorId": 1},
                },
            )
        await until_past(d + STEP)
        used = await kpi(tenant, "utilisation", a, d + STEP, station_id=station_id)
        one = await kpi(
            tenant, "utilisation", a, d + STEP, station_id=station_id, evse_id=1, connector_id=1
        )

    # Occupied all along (the station sent no Available); charging b-c and c+½-d, the session's
    # end stopping it although its last state said Charging.
    assert used["occupied_fraction"] == pytest.approx(1.0)
    assert used["charging_s"] == pytest.approx(0.3)
    assert used["charging_fraction"] == pytest.approx(0.375)
    assert one["charging_s"] == used["charging_s"]
