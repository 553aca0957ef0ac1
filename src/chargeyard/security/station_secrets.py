"""Which values in OCPP messages and command bodies are station secrets, and masking them.

A station's Basic-auth password travels in a few places: 1.6 `ChangeConfiguration` of
`AuthorizationKey`, 2.0.1 `SetVariables` of `SecurityCtrlr.BasicAuthPassword`, the answers and
reports that might echo them (`GetConfiguration`, `GetVariables`, `NotifyReport`), and network
profiles (`basicAuthPassword`, an APN's password and SIM PIN, a VPN's password and key). Every
copy Chargeyard keeps (message log, command audit, events, logs) goes through `masked` first,
so there is one rule for what a secret is, whatever the shape it arrives in: an OCPP payload in
camelCase or a REST command body in snake_case.
"""

from typing import Any

MASK = "********"

SECRET_SETTINGS = frozenset({"AuthorizationKey", "BasicAuthPassword"})
"""Configuration keys (1.6) and variable names (2.x) whose value is a station password."""

_SECRET_FIELDS = frozenset(
    {
        "basicauthpassword",
        "basic_auth_password",
        "apnpassword",
        "apn_password",
        "simpin",
        "sim_pin",
        "password",
        "key",
    }
)
"""Field names whose value is a secret wherever they appear (network profiles, VPN keys).
`key` counts only inside a `vpn` object; elsewhere a 1.6 configuration entry uses it as a name."""

_VALUE_FIELDS = ("value", "attributeValue", "attribute_value")


def is_station_secret(setting: object) -> bool:
    """Whether a configuration key or variable (a name, or a `{"name": ...}` object) is one."""
    if isinstance(setting, dict):
        setting = setting.get("name")
    return isinstance(setting, str) and setting in SECRET_SETTINGS


def masked(value: Any) -> Any:
    """A copy of `value` (any JSON-like structure) with every station secret replaced by MASK.
    Values that hold none come back equal (a fresh copy only where something changed)."""
    return _walk(value, inside_vpn=False)


def _walk(value: Any, *, inside_vpn: bool) -> Any:
    if isinstance(value, list):
        return [_walk(item, inside_vpn=inside_vpn) for item in value]
    if not isinstance(value, dict):
        return value
    secret_setting = is_station_secret(value.get("key")) or is_station_secret(value.get("variable"))
    out: dict[Any, Any] = {}
    for name, item in value.items():
        if secret_setting and name in _VALUE_FIELDS:
            out[name] = MASK
        elif secret_setting and name == "variableAttribute":
            out[name] = _mask_attributes(item)
        elif _is_secret_field(name, inside_vpn) and isinstance(item, str):
            out[name] = MASK
        else:
            out[name] = _walk(item, inside_vpn=name == "vpn")
    return out


def _is_secret_field(name: object, inside_vpn: bool) -> bool:
    if not isinstance(name, str):
        return False
    lowered = name.lower()
    if lowered == "key":
        return inside_vpn
    return lowered in _SECRET_FIELDS


def _mask_attributes(attributes: Any) -> Any:
    """A NotifyReport's `variableAttribute` list: each attribute's `value` is the secret."""
    if not isinstance(attributes, list):
        return attributes
    return [
        {**item, "value": MASK} if isinstance(item, dict) and "value" in item else item
        for item in attributes
    ]
