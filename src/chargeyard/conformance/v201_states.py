"""The OCTT's 2.0.1 reusable states (Booted, Authorized, EVConnectedPreSession,
EnergyTransferStarted, EVDisconnected) as a station with one EVSE and one connector.

The station makes its own transaction ids and sequence numbers, as 2.0.1 requires. A
transaction left running by a failed case is ended at cleanup.
"""

from __future__ import annotations

import uuid
from typing import Any

from chargeyard.conformance.case import expect_equal, expect_in, field
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.link import StationLink
from chargeyard.conformance.v16_states import MODEL, VENDOR, timestamp

EVSE = 1
CONNECTOR = 1
TOKEN_TYPE = "ISO14443"


def id_token(value: str) -> dict[str, str]:
    return {"idToken": value, "type": TOKEN_TYPE}


class Station201:
    def __init__(self, ctx: CaseContext, link: StationLink) -> None:
        self.ctx = ctx
        self.link = link
        self.seq_no = 0
        self.transaction_id: str | None = None
        ctx.on_cleanup(self._end_leftover)

    @classmethod
    async def connect(cls, ctx: CaseContext, **options: Any) -> Station201:
        return cls(ctx, await ctx.connect(**options))

    @classmethod
    async def booted_on(cls, ctx: CaseContext) -> Station201:
        """A new connection in reusable state Booted."""
        station = await cls.connect(ctx)
        await station.booted()
        return station

    async def booted(self) -> dict[str, Any]:
        """Reusable state Booted: BootNotification accepted, the connector reported."""
        answer = await self.link.call(
            "BootNotification",
            {"chargingStation": {"vendorName": VENDOR, "model": MODEL}, "reason": "PowerUp"},
        )
        expect_equal(answer["status"], "Accepted", "BootNotificationResponse status")
        await self.status("Available")
        return answer

    async def status(self, connector_status: str) -> None:
        now = timestamp(self.ctx.clock())
        await self.link.call(
            "StatusNotification",
            {
                "timestamp": now,
                "connectorStatus": connector_status,
                "evseId": EVSE,
                "connectorId": CONNECTOR,
            },
        )
        await self.link.call(
            "NotifyEvent",
            {
                "generatedAt": now,
                "seqNo": 0,
                "eventData": [
                    {
                        "eventId": self.seq_no + 1,
                        "timestamp": now,
                        "trigger": "Delta",
                        "actualValue": connector_status,
                        "eventNotificationType": "HardWiredNotification",
                        "component": {
                            "name": "Connector",
                            "evse": {"id": EVSE, "connectorId": CONNECTOR},
                        },
                        "variable": {"name": "AvailabilityState"},
                    }
                ],
            },
        )

    async def authorize(self, value: str) -> str:
        answer = await self.link.call("Authorize", {"idToken": id_token(value)})
        return str(field(answer, "idTokenInfo.status"))

    async def event(
        self,
        event_type: str,
        trigger_reason: str,
        *,
        charging_state: str | None = None,
        token: str | None = None,
        stopped_reason: str | None = None,
        remote_start_id: int | None = None,
    ) -> dict[str, Any]:
        """One TransactionEventRequest of this station's transaction (a new one on Started)."""
        if event_type == "Started":
            self.transaction_id = uuid.uuid4().hex
        info: dict[str, Any] = {"transactionId": self.transaction_id}
        for key, value in (
            ("chargingState", charging_state),
            ("stoppedReason", stopped_reason),
            ("remoteStartId", remote_start_id),
        ):
            if value is not None:
                info[key] = value
        payload: dict[str, Any] = {
            "eventType": event_type,
            "timestamp": timestamp(self.ctx.clock()),
            "triggerReason": trigger_reason,
            "seqNo": self.seq_no,
            "transactionInfo": info,
        }
        self.seq_no += 1
        if event_type == "Started":
            payload["evse"] = {"id": EVSE, "connectorId": CONNECTOR}
        if token is not None:
            payload["idToken"] = id_token(token)
        answer = await self.link.call("TransactionEvent", payload)
        if event_type == "Ended":
            self.transaction_id = None
        if token is not None:
            expect_in(
                field(answer, "idTokenInfo.status"),
                ("Accepted", None),
                "TransactionEventResponse idTokenInfo.status",
            )
        return answer

    async def _open_or_update(self, trigger: str, **fields: Any) -> None:
        kind = "Started" if self.transaction_id is None else "Updated"
        await self.event(kind, trigger, **fields)

    async def authorized(self, token: str) -> None:
        """Reusable state Authorized: the token accepted, and the transaction started or
        updated with it (TxStartPoint Authorized)."""
        expect_equal(await self.authorize(token), "Accepted", "AuthorizeResponse status")
        await self._open_or_update("Authorized", token=token)

    async def ev_connected(self) -> None:
        """Reusable state EVConnectedPreSession: cable plugged in, connector Occupied."""
        await self.status("Occupied")
        await self._open_or_update("CablePluggedIn", charging_state="EVConnected")

    async def energy_transfer_started(self) -> None:
        """Reusable state EnergyTransferStarted."""
        await self.event("Updated", "ChargingStateChanged", charging_state="Charging")

    async def energy_transfer_suspended(self) -> None:
        """Reusable state EnergyTransferSuspended: charging, then the EV stops taking energy."""
        await self.energy_transfer_started()
        await self.event("Updated", "ChargingStateChanged", charging_state="SuspendedEV")

    async def ev_disconnected(self) -> None:
        """Reusable state EVDisconnected: the transaction ends, the connector is free."""
        await self.event(
            "Ended", "EVCommunicationLost", charging_state="Idle", stopped_reason="EVDisconnected"
        )
        await self.status("Available")

    async def _end_leftover(self) -> None:
        if self.transaction_id is not None and self.link.is_open:
            await self.event("Ended", "AbnormalCondition", stopped_reason="Other")
