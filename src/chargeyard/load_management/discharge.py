"""Which stations smart charging may ask to discharge a vehicle (V2G), by protocol version.

An EVSE discharges only where its wiring says it is bidirectional *and* the station can be
told so in its protocol:

- OCPP 2.1 defines discharging in its profiles (`dischargeLimit`, `setpoint`, the
  `CentralSetpoint` operation mode): a 2.1 station may be asked.
- OCPP 2.0.1 has no discharge in its profiles; a negative limit is how V2X-capable 2.0.1
  firmware takes one, so a 2.0.1 station is asked only where its reported device model
  (NotifyReport) says `V2XChargingCtrlr.Enabled` is `true` (the controller 2.1 standardises).
- OCPP 1.6 stations, and every other station, are never sent a negative limit.

Pure: the rule only; the site reader reads the protocol and the device model.
"""

V2X_CONTROLLER = "V2XChargingCtrlr"
V2X_ENABLED = "Enabled"
DISCHARGING_PROFILES = "ocpp2.1"
NEGATIVE_LIMITS = "ocpp2.0.1"


def may_discharge(protocol: str | None, reports_v2x: bool) -> bool:
    """Whether a station speaking `protocol` can be planned to discharge (its wiring aside)."""
    if protocol == DISCHARGING_PROFILES:
        return True
    return protocol == NEGATIVE_LIMITS and reports_v2x


def reports_enabled(value: str | None) -> bool:
    """A device-model boolean as stations report it ("true", any case)."""
    return (value or "").strip().lower() == "true"
