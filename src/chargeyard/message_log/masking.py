"""Masking station passwords out of logged frames, before they are stored.

A CALL that may carry a station password (1.6 `ChangeConfiguration` of `AuthorizationKey`, 2.0.1
`SetVariables` of `BasicAuthPassword`, a network profile, a report of the security variables) is
logged with the value masked by `security/station_secrets.py`, the one rule every stored copy
follows: the log shows what was sent, but no station password is ever written to it. Only
frames of these actions are parsed again; the rest are stored as they came.
"""

import json

from chargeyard.security.station_secrets import MASK, masked

__all__ = ["MASK", "SECRET_ACTIONS", "mask_secrets"]

CALL = 2
SECRET_ACTIONS = frozenset(
    {"ChangeConfiguration", "SetVariables", "SetNetworkProfile", "NotifyReport"}
)


def mask_secrets(frame: str) -> str:
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to be a real frame
        return frame
    if not (isinstance(message, list) and len(message) == 4 and message[0] == CALL):
        return frame
    payload = message[3]
    hidden = masked(payload)
    if hidden == payload:
        return frame
    return json.dumps([*message[:3], hidden], separators=(",", ":"))
