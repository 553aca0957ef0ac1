"""Drives one charging session on a station, one step at a time.

Plug in (Preparing), tap the card (Authorize, StartTransaction, Charging), meter every
interval while the vehicle charges (the station reports SuspendedEV once the battery
stops taking power, SuspendedEVSE when a charging profile pauses it), then stop
(Finishing) and unplug (Available). Each `step` does one of these and returns how long to
wait before the next, so a fleet can run thousands of sessions from one scheduler and a
test can step through a session with a `ManualClock`.
"""

from __future__ import annotations

from enum import StrEnum

from chargeyard.simulator.battery import EVBattery
from chargeyard.simulator.clock import Clock
from chargeyard.simulator.connector import ConnectorStatus, StopReason
from chargeyard.simulator.session_plan import SessionPlan
from chargeyard.simulator.station import Station


class SessionPhase(StrEnum):
    ARRIVING = "arriving"
    PLUGGED = "plugged"
    CHARGING = "charging"
    LEAVING = "leaving"
    DONE = "done"


class SessionDriver:
    def __init__(self, station: Station, plan: SessionPlan, clock: Clock) -> None:
        self.station = station
        self.plan = plan
        self.clock = clock
        self.phase = SessionPhase.ARRIVING

    async def step(self) -> float | None:
        """Do the next thing the driver does; seconds until the one after, None at the end."""
        match self.phase:
            case SessionPhase.ARRIVING:
                return await self._arrive()
            case SessionPhase.PLUGGED:
                return await self._start()
            case SessionPhase.CHARGING:
                return await self._charge()
            case SessionPhase.LEAVING:
                await self.station.unplug(self.plan.connector_id)
                self.phase = SessionPhase.DONE
        return None

    async def run(self) -> None:
        """Step through the whole session, sleeping on the clock in between."""
        while (delay := await self.step()) is not None:
            await self.clock.sleep(delay)

    async def _arrive(self) -> float | None:
        connector = self.station.connector(self.plan.connector_id)
        reserved_for_us = (
            connector.reservation is not None and connector.reservation.id_tag == self.plan.id_tag
        )
        free = connector.status is ConnectorStatus.AVAILABLE or reserved_for_us
        if connector.plugged or not connector.operative or not free:
            self.phase = SessionPhase.DONE
            return None
        await self.station.plug_in(self.plan.connector_id)
        self.phase = SessionPhase.PLUGGED
        return self.plan.tap_after_s

    async def _start(self) -> float | None:
        plan = self.plan
        if self.station.connector(plan.connector_id).transaction is not None:
            # A remote start took over this car: that session now owns the connector.
            self.phase = SessionPhase.DONE
            return None
        started = await self.station.begin_transaction(
            plan.connector_id,
            plan.id_tag,
            EVBattery(plan.vehicle, plan.arrival_soc),
            authorize=plan.authorize,
            tx_profile=plan.tx_profile,
        )
        if not started:
            self.phase = SessionPhase.LEAVING
            return plan.unplug_after_s
        self.phase = SessionPhase.CHARGING
        return min(self.station.meter_interval, plan.stay_s)

    async def _charge(self) -> float:
        plan = self.plan
        transaction = self.station.connector(plan.connector_id).transaction
        if transaction is None:
            # Ended from outside: remote stop, unlock or reset.
            self.phase = SessionPhase.LEAVING
            return plan.unplug_after_s
        stayed = (self.clock.now() - transaction.started_at).total_seconds()
        if stayed >= plan.stay_s:
            await self.station.end_transaction(plan.connector_id, plan.stop_reason)
            self.phase = SessionPhase.LEAVING
            if plan.stop_reason is StopReason.EV_DISCONNECTED:
                return 0.0  # the cable came out first: that is what ended it
            return plan.unplug_after_s
        await self.station.report_meter(plan.connector_id)
        return min(self.station.meter_interval, plan.stay_s - stayed)
