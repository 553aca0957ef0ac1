"""The OCPP adapter: WebSocket handshake, OCPP-J framing, and one session class per version.

Only this package imports the `ocpp` library. Sessions translate messages into calls on the
domain services and translate the answers back; no business rule lives here.
"""
