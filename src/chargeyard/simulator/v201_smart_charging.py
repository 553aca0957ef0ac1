"""OCPP 2.x smart-charging commands on a simulated station.

Profiles, their stacking and the composite schedule are protocol-neutral (`charging_profile`,
`charging_limits`, `Charger`); this is the 2.x wire around them. A 2.x profile is read into the
1.6 shape the shared codec parses (ChargingStationMax is ChargePointMax; the first schedule
counts), and kept as received so GetChargingProfiles can report it. ChargingStationExternalConstraints
profiles come from the station's external system (`SimulatedStationV201.set_external_constraint`):
a SetChargingProfile of that purpose is rejected (OCPP 2.0.1 lets only that system set them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ocpp.v201 import call_result as r

from chargeyard.simulator.charging_profile import ChargingProfile, ProfilePurpose, RateUnit
from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v201_handler import Handlers, handles

_STATION_MAX = "ChargingStationMaxProfile"


def parse_profile(payload: Mapping[str, Any], received_at: datetime) -> ChargingProfile:
    """Parse a 2.x ChargingProfileType; ValueError if it is malformed or not supported."""
    schedules = payload.get("charging_schedule") or []
    if len(schedules) != 1:
        raise ValueError("one charging schedule is supported")
    purpose = payload.get("charging_profile_purpose")
    shaped = {
        "charging_profile_id": payload.get("id"),
        "stack_level": payload.get("stack_level"),
        "charging_profile_purpose": "ChargePointMaxProfile" if purpose == _STATION_MAX else purpose,
        "charging_profile_kind": payload.get("charging_profile_kind"),
        "recurrency_kind": payload.get("recurrency_kind"),
        "valid_from": payload.get("valid_from"),
        "valid_to": payload.get("valid_to"),
        "transaction_id": payload.get("transaction_id"),
        "charging_schedule": _discharge_as_limit(schedules[0]),
    }
    return codec.charging_profile(shaped, received_at)


def _discharge_as_limit(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """A 2.1 schedule whose CentralSetpoint periods carry their setpoint as the limit (negative:
    discharge), as the neutral codec reads a 2.0.1 V2X negative limit."""
    periods = []
    for period in schedule.get("charging_schedule_period") or []:
        setpoint = period.get("setpoint")
        if period.get("operation_mode") == "CentralSetpoint" and setpoint is not None:
            period = {**period, "limit": setpoint}
        periods.append(period)
    return {**schedule, "charging_schedule_period": periods}


def _purpose(value: str | None) -> ProfilePurpose | None:
    if value is None:
        return None
    return ProfilePurpose.CHARGE_POINT_MAX if value == _STATION_MAX else ProfilePurpose(value)


class SmartChargingHandlers(Handlers):
    @handles("SetChargingProfile")
    def on_set_charging_profile(
        self, evse_id: int, charging_profile: dict[str, Any], **_: Any
    ) -> r.SetChargingProfile:
        station = self.station
        try:
            profile = parse_profile(charging_profile, station.clock.now())
        except ValueError:
            return r.SetChargingProfile(status="Rejected")
        if profile.purpose is ProfilePurpose.EXTERNAL_CONSTRAINTS:  # the external system's
            return r.SetChargingProfile(status="Rejected")
        if self.refuses("SetChargingProfile"):
            return r.SetChargingProfile(status="Rejected")
        if not station.charger.install_profile(evse_id, profile):
            return r.SetChargingProfile(status="Rejected")
        station.profile_payloads[profile.profile_id] = (evse_id, charging_profile)
        return r.SetChargingProfile(status="Accepted")

    @handles("ClearChargingProfile")
    def on_clear_charging_profile(
        self,
        charging_profile_id: int | None = None,
        charging_profile_criteria: dict[str, Any] | None = None,
        **_: Any,
    ) -> r.ClearChargingProfile:
        criteria = charging_profile_criteria or {}
        removed = 0
        if not self.refuses("ClearChargingProfile"):
            removed = self.station.charger.clear_profiles(
                profile_id=charging_profile_id,
                connector_id=criteria.get("evse_id"),
                purpose=_purpose(criteria.get("charging_profile_purpose")),
                stack_level=criteria.get("stack_level"),
            )
        return r.ClearChargingProfile(status="Accepted" if removed else "Unknown")

    @handles("GetChargingProfiles")
    def on_get_charging_profiles(
        self,
        request_id: int,
        charging_profile: dict[str, Any],
        evse_id: int | None = None,
        **_: Any,
    ) -> r.GetChargingProfiles:
        ids = charging_profile.get("charging_profile_id") or []
        purpose = _purpose(charging_profile.get("charging_profile_purpose"))
        level = charging_profile.get("stack_level")
        sources = charging_profile.get("charging_limit_source") or []
        found: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for installed in self.station.charger.profiles:
            profile = installed.profile
            source = self.station.profile_sources.get(profile.profile_id, "CSO")
            if (
                (evse_id is None or installed.connector_id == evse_id)
                and (not ids or profile.profile_id in ids)
                and (purpose is None or profile.purpose is purpose)
                and (level is None or profile.stack_level == level)
                and (not sources or source in sources)
            ):
                payload = self.station.profile_payloads[profile.profile_id][1]
                found.setdefault((installed.connector_id, source), []).append(payload)
        if not found or self.refuses("GetChargingProfiles"):
            return r.GetChargingProfiles(status="NoProfiles")
        self.after_reply(lambda: self.station.report_charging_profiles(request_id, found))
        return r.GetChargingProfiles(status="Accepted")

    @handles("GetCompositeSchedule")
    def on_get_composite_schedule(
        self, duration: int, evse_id: int, charging_rate_unit: str | None = None, **_: Any
    ) -> r.GetCompositeSchedule:
        charger = self.station.charger
        known = evse_id == 0 or charger.has(evse_id)
        if self.refuses("GetCompositeSchedule") or not known:
            return r.GetCompositeSchedule(status="Rejected")
        unit = RateUnit(charging_rate_unit) if charging_rate_unit else RateUnit.AMPS
        start, periods = charger.composite(evse_id, duration, unit)
        schedule = {
            "evse_id": evse_id,
            "duration": duration,
            "schedule_start": codec.timestamp(start),
            "charging_rate_unit": unit.value,
            "charging_schedule_period": [
                {"start_period": p.start_s, "limit": round(p.limit, 1), "number_phases": p.phases}
                for p in periods
            ],
        }
        return r.GetCompositeSchedule(status="Accepted", schedule=schedule)
