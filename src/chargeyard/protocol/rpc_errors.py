"""OCPP-J CALLERROR codes, spelled as each protocol version spells them.

1.6 and 2.0.1 name some errors differently (FormationViolation / FormatViolation,
OccurenceConstraintViolation / OccurrenceConstraintViolation) and 2.0.1 adds
RpcFrameworkError and MessageTypeNotSupported. Code raises `RpcError` with a neutral `Kind`;
the session renders the version's spelling.
"""

from enum import Enum

from jsonschema.exceptions import ValidationError as SchemaError

from chargeyard.errors import (
    ChargeyardError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthenticated,
)


class Kind(Enum):
    FORMAT = "format"
    PROTOCOL = "protocol"
    TYPE = "type"
    PROPERTY = "property"
    OCCURRENCE = "occurrence"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_SUPPORTED = "not_supported"
    SECURITY = "security"
    INTERNAL = "internal"
    MESSAGE_TYPE = "message_type"
    RPC_FRAMEWORK = "rpc_framework"
    GENERIC = "generic"


_V16 = {
    Kind.FORMAT: "FormationViolation",
    Kind.PROTOCOL: "ProtocolError",
    Kind.TYPE: "TypeConstraintViolation",
    Kind.PROPERTY: "PropertyConstraintViolation",
    Kind.OCCURRENCE: "OccurenceConstraintViolation",
    Kind.NOT_IMPLEMENTED: "NotImplemented",
    Kind.NOT_SUPPORTED: "NotSupported",
    Kind.SECURITY: "SecurityError",
    Kind.INTERNAL: "InternalError",
    Kind.MESSAGE_TYPE: "ProtocolError",
    Kind.RPC_FRAMEWORK: "FormationViolation",
    Kind.GENERIC: "GenericError",
}

_V2 = _V16 | {
    Kind.FORMAT: "FormatViolation",
    Kind.OCCURRENCE: "OccurrenceConstraintViolation",
    Kind.MESSAGE_TYPE: "MessageTypeNotSupported",
    Kind.RPC_FRAMEWORK: "RpcFrameworkError",
}


class RpcError(Exception):
    def __init__(self, kind: Kind, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description

    def code(self, ocpp_version: str) -> str:
        return (_V16 if ocpp_version == "1.6" else _V2)[self.kind]


def from_schema_error(error: SchemaError, ocpp_version: str) -> RpcError:
    """Classify a JSON-schema failure the way the OCPP-J specification describes each code."""
    where = "/".join(str(p) for p in error.absolute_path) or "payload"
    description = f"{where}: {error.message}"
    if error.validator in ("type", "maxLength"):
        return RpcError(Kind.TYPE, description)
    if error.validator == "required":
        # 1.6 calls a payload that lacks a required field "incomplete" (ProtocolError).
        kind = Kind.PROTOCOL if ocpp_version == "1.6" else Kind.OCCURRENCE
        return RpcError(kind, description)
    if error.validator in ("minItems", "maxItems"):
        return RpcError(Kind.OCCURRENCE, description)
    if error.validator == "additionalProperties":
        return RpcError(Kind.FORMAT, description)
    return RpcError(Kind.PROPERTY, description)


_DOMAIN = {
    Invalid: Kind.PROPERTY,
    NotFound: Kind.PROPERTY,
    Conflict: Kind.GENERIC,
    Forbidden: Kind.SECURITY,
    Unauthenticated: Kind.SECURITY,
}


def from_domain_error(error: ChargeyardError) -> RpcError:
    """A rule a service enforced, told to the station in its own terms: a value the rules refuse
    is a PropertyConstraintViolation, a state that forbids the change a GenericError; anything
    else stays an InternalError. The one place domain errors meet OCPP error codes."""
    for cls in type(error).__mro__:
        kind = _DOMAIN.get(cls)  # type: ignore[call-overload]
        if kind is not None:
            return RpcError(kind, error.detail)
    return RpcError(Kind.INTERNAL, "internal error")
