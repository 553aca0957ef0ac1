"""Commands of the OCPP 1.6 Smart Charging profile.

The profiles themselves, their stacking and the composite schedule are protocol-neutral
(`charging_profile`, `charging_limits`, `Charger`); this is the 1.6 wire around them.
A change of limits is reported at once when it pauses or resumes a running session.
"""

from __future__ import annotations

from typing import Any

from ocpp.v16 import call_result
from ocpp.v16.enums import (
    Action,
    ChargingProfileStatus,
    ClearChargingProfileStatus,
    GetCompositeScheduleStatus,
)

from chargeyard.simulator.charging_profile import ProfilePurpose, RateUnit
from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.handler import ProfileHandlers, handles


class SmartChargingProfile(ProfileHandlers):
    @handles(Action.set_charging_profile)
    def on_set_charging_profile(
        self, connector_id: int, cs_charging_profiles: dict[str, Any], **_: Any
    ) -> call_result.SetChargingProfile:
        station = self.station
        rejected = call_result.SetChargingProfile(status=ChargingProfileStatus.rejected)
        try:
            profile = codec.charging_profile(cs_charging_profiles, station.clock.now())
        except ValueError:
            return rejected
        max_level = station.configuration.integer("ChargeProfileMaxStackLevel")
        if self.refuses(Action.set_charging_profile) or profile.stack_level > max_level:
            return rejected
        if not station.charger.install_profile(connector_id, profile):
            return rejected
        self.after_reply(self._report_charging_states)
        return call_result.SetChargingProfile(status=ChargingProfileStatus.accepted)

    @handles(Action.clear_charging_profile)
    def on_clear_charging_profile(
        self,
        id: int | None = None,
        connector_id: int | None = None,
        charging_profile_purpose: str | None = None,
        stack_level: int | None = None,
        **_: Any,
    ) -> call_result.ClearChargingProfile:
        removed = 0
        if not self.refuses(Action.clear_charging_profile):
            removed = self.station.charger.clear_profiles(
                profile_id=id,
                connector_id=connector_id,
                purpose=None
                if charging_profile_purpose is None
                else ProfilePurpose(charging_profile_purpose),
                stack_level=stack_level,
            )
        if not removed:
            return call_result.ClearChargingProfile(status=ClearChargingProfileStatus.unknown)
        self.after_reply(self._report_charging_states)
        return call_result.ClearChargingProfile(status=ClearChargingProfileStatus.accepted)

    @handles(Action.get_composite_schedule)
    def on_get_composite_schedule(
        self, connector_id: int, duration: int, charging_rate_unit: str | None = None, **_: Any
    ) -> call_result.GetCompositeSchedule:
        charger = self.station.charger
        known = connector_id == 0 or charger.has(connector_id)
        if self.refuses(Action.get_composite_schedule) or not known:
            return call_result.GetCompositeSchedule(status=GetCompositeScheduleStatus.rejected)
        unit = RateUnit(charging_rate_unit) if charging_rate_unit else RateUnit.AMPS
        start, periods = charger.composite(connector_id, duration, unit)
        return call_result.GetCompositeSchedule(
            status=GetCompositeScheduleStatus.accepted,
            connector_id=connector_id,
            schedule_start=codec.timestamp(start),
            charging_schedule=codec.charging_schedule(periods, unit, start, duration),
        )

    async def _report_charging_states(self) -> None:
        """StatusNotification for sessions the new limits paused or resumed."""
        station = self.station
        for connector in station.charger.connectors.values():
            if connector.transaction is None:
                continue
            station.charger.advance(connector)
            if connector.charging_status() is not connector.status:
                await station.status(connector.connector_id, connector.charging_status())
