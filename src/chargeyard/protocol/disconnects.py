"""What a socket raises when the station has gone: a normal end, never an error to log as one.

A station closing its socket while we answer or call it is everyday life (a reboot, a lost
cellular link, a reconnect storm): Starlette raises `WebSocketDisconnect` (the peer closed, or a
send failed with an OSError), `WebSocketDisconnected` (a send after the close), and uvicorn's
`ClientDisconnected` is an OSError.
"""

from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

DISCONNECTS: tuple[type[BaseException], ...] = (
    WebSocketDisconnect,
    WebSocketDisconnected,
    OSError,
)


def is_disconnect(error: BaseException | None) -> bool:
    return isinstance(error, DISCONNECTS)
