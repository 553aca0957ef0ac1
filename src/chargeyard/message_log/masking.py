"""Masking station passwords out of logged frames, before they are stored.

A frame that sets a station's Basic-auth password (1.6 `ChangeConfiguration` of
`AuthorizationKey`, 2.0.1 `SetVariables` of `BasicAuthPassword`) is logged with the value masked:
the log shows what was sent, but no station password is ever written to it.
"""

import json
from typing import Any

MASK = "********"
CALL = 2
SECRET_ACTIONS = frozenset({"ChangeConfiguration", "SetVariables"})


def mask_secrets(frame: str) -> str:
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to be a real frame
        return frame
    if not (isinstance(message, list) and len(message) == 4 and message[0] == CALL):
        return frame
    _, _, action, payload = message
    if not isinstance(payload, dict) or not _mask_payload(action, payload):
        return frame
    return json.dumps(message, separators=(",", ":"))


def _mask_payload(action: Any, payload: dict[str, Any]) -> bool:
    """Mask in place; say whether anything was masked."""
    if action == "ChangeConfiguration" and payload.get("key") == "AuthorizationKey":
        payload["value"] = MASK
        return True
    masked = False
    if action == "SetVariables":
        for item in payload.get("setVariableData") or []:
            variable = item.get("variable") if isinstance(item, dict) else None
            if isinstance(variable, dict) and variable.get("name") == "BasicAuthPassword":
                item["attributeValue"] = MASK
                masked = True
    return masked
