"""The OCTT's 1.6 reusable states (Booted, Authorized, Charging) and the messages a case
sends on the way, as a station with one connector.

Each step checks what the OCTT checks of the CSMS's answer. A transaction a case starts is
stopped at cleanup if the case did not get to stop it, so a failed case leaves no session
running (which would make the next case's tag ConcurrentTx).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chargeyard.conformance.case import expect, expect_equal, field
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.link import StationLink

CONNECTOR = 1
VENDOR = "Chargeyard"
MODEL = "OCTT conformance"


def timestamp(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Station16:
    """One connection of the 1.6 station, and the transactions it has open."""

    def __init__(self, ctx: CaseContext, link: StationLink) -> None:
        self.ctx = ctx
        self.link = link
        self.meter_wh = 1000
        self.open_transactions: set[int] = set()
        ctx.on_cleanup(self._stop_leftovers)

    @classmethod
    async def connect(cls, ctx: CaseContext) -> Station16:
        return cls(ctx, await ctx.connect())

    @classmethod
    async def booted_on(cls, ctx: CaseContext) -> Station16:
        """A new connection in reusable state Booted."""
        station = await cls.connect(ctx)
        await station.booted()
        return station

    async def boot(self, reason_note: str = "") -> dict[str, Any]:
        answer = await self.link.call(
            "BootNotification", {"chargePointVendor": VENDOR, "chargePointModel": MODEL}
        )
        expect_equal(answer["status"], "Accepted", f"BootNotification.conf status{reason_note}")
        expect(answer["interval"] > 0, f"BootNotification.conf interval is {answer['interval']}")
        return answer

    async def status(self, connector_id: int, status: str) -> None:
        await self.link.call(
            "StatusNotification",
            {
                "connectorId": connector_id,
                "errorCode": "NoError",
                "status": status,
                "timestamp": timestamp(self.ctx.clock()),
            },
        )

    async def booted(self) -> dict[str, Any]:
        """Reusable state Booted: accepted at boot, connector 0 and 1 reported Available."""
        answer = await self.boot()
        await self.status(0, "Available")
        await self.status(CONNECTOR, "Available")
        return answer

    async def authorize(self, id_tag: str) -> str:
        answer = await self.link.call("Authorize", {"idTag": id_tag})
        return str(field(answer, "idTagInfo.status"))

    async def authorized(self, id_tag: str) -> None:
        """Reusable state Authorized."""
        expect_equal(await self.authorize(id_tag), "Accepted", "Authorize.conf idTagInfo.status")

    async def start(
        self, id_tag: str, *, at: datetime | None = None, reservation_id: int | None = None
    ) -> int:
        """StartTransaction, which the CSMS must accept; the transaction id it gave."""
        payload: dict[str, Any] = {
            "connectorId": CONNECTOR,
            "idTag": id_tag,
            "meterStart": self.meter_wh,
            "timestamp": timestamp(at or self.ctx.clock()),
        }
        if reservation_id is not None:
            payload["reservationId"] = reservation_id
        answer = await self.link.call("StartTransaction", payload)
        transaction_id = int(answer["transactionId"])
        self.open_transactions.add(transaction_id)
        expect_equal(
            field(answer, "idTagInfo.status"), "Accepted", "StartTransaction.conf idTagInfo.status"
        )
        return transaction_id

    async def charging(self, id_tag: str, *, reservation_id: int | None = None) -> int:
        """Reusable state Charging: Preparing, StartTransaction accepted, Charging."""
        await self.status(CONNECTOR, "Preparing")
        transaction_id = await self.start(id_tag, reservation_id=reservation_id)
        await self.status(CONNECTOR, "Charging")
        return transaction_id

    async def stop(
        self,
        transaction_id: int,
        reason: str,
        *,
        id_tag: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        self.meter_wh += 500
        payload: dict[str, Any] = {
            "transactionId": transaction_id,
            "meterStop": self.meter_wh,
            "timestamp": timestamp(at or self.ctx.clock()),
            "reason": reason,
        }
        if id_tag is not None:
            payload["idTag"] = id_tag
        answer = await self.link.call("StopTransaction", payload)
        self.open_transactions.discard(transaction_id)
        return answer

    async def finish(self, transaction_id: int, reason: str = "Local") -> None:
        """Stop the transaction, then Finishing and Available as the driver unplugs."""
        await self.stop(transaction_id, reason)
        await self.status(CONNECTOR, "Finishing")
        await self.status(CONNECTOR, "Available")

    async def _stop_leftovers(self) -> None:
        for transaction_id in list(self.open_transactions):
            if self.link.is_open:
                await self.stop(transaction_id, "Other")
