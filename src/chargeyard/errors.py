"""The error hierarchy every layer raises, drawn once.

    ChargeyardError            (status 500 when it escapes; should not)
     ├── NotFound              404: the object does not exist *in the caller's organization*
     ├── Conflict              409: the object exists already, or the state forbids the change
     │    └── NameTaken        409: a globally unique name (station id, e-mail) is in use
     ├── Invalid               422: the input is well-formed but breaks a rule
     ├── BadRequest            400: a query the endpoint does not understand (unknown or
     │                              malformed parameters; `api/query.py`)
     ├── Unauthenticated       401
     ├── Forbidden             403: authenticated, but the role may not do this
     ├── PreconditionRequired  428: PUT without If-Match
     ├── PreconditionFailed    412: If-Match does not match the current ETag
     ├── TooManyAttempts       429: locked out after failed sign-ins (carries Retry-After)
     ├── StationOffline        409: a command for a station that holds no connection
     └── StationTimeout        504: the station did not answer a command in time

The REST layer renders them as RFC 9457 problem documents; the OCPP adapter never lets them reach
a station (it answers with protocol statuses instead).
"""

from typing import ClassVar


class ChargeyardError(Exception):
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ChargeyardError):
    status = 404
    title = "Not found"


class Conflict(ChargeyardError):
    status = 409
    title = "Conflict"


class NameTaken(Conflict):
    """A station id or e-mail is unique across organizations, so the refusal cannot depend on
    whose it is: the message never says, and an organization meeting many is slowed down
    (`api/dependencies.py: name_probe_brake`)."""


class Invalid(ChargeyardError):
    status = 422
    title = "Invalid input"


class BadRequest(ChargeyardError):
    status = 400
    title = "Bad request"


class Unauthenticated(ChargeyardError):
    status = 401
    title = "Authentication required"


class TooManyAttempts(ChargeyardError):
    status = 429
    title = "Too many attempts"

    def __init__(self, detail: str, retry_after_s: float) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class Forbidden(ChargeyardError):
    status = 403
    title = "Forbidden"


class PreconditionRequired(ChargeyardError):
    status = 428
    title = "Precondition required"


class PreconditionFailed(ChargeyardError):
    status = 412
    title = "Precondition failed"


class StationOffline(ChargeyardError):
    status = 409
    title = "Station offline"


class StationTimeout(ChargeyardError):
    status = 504
    title = "Station did not answer"
