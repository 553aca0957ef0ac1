"""Which ASGI connections are a station's OCPP WebSocket, decided before any routing.

FastAPI matches a WebSocket against every route of the application in turn: with some
three hundred REST and dashboard routes registered before `/ocpp/{station_id}`, that search
cost a station's handshake more CPU than its admission (about a sixth of a reconnect storm's
server CPU). And every ASGI layer a connection passes through (Starlette's error middleware,
FastAPI's wrappers, the router) keeps a coroutine frame on that connection's stack for the
socket's life: a few hundred bytes each, times every connected station. The application's
entry (`api/app.py: ChargeyardApp`) asks `station_in` first and hands a station's socket to
the OCPP endpoint directly; everything else (HTTP, and an OCPP path that is not a single
segment, which the application then refuses as before) goes through the application unchanged.
"""

from starlette.types import Scope

PREFIX = "/ocpp/"


def station_in(scope: Scope) -> str | None:
    """The station id of a WebSocket for `/ocpp/<id>`; None for any other connection."""
    if scope["type"] != "websocket":
        return None
    return station_id_in(scope["path"])


def station_id_in(path: str) -> str | None:
    """The station id of the path `/ocpp/<id>` (one segment); None for any other path."""
    station_id = path[len(PREFIX) :]
    if path.startswith(PREFIX) and station_id and "/" not in station_id:
        return station_id
    return None
